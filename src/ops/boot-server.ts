import { createServer, type Server } from 'node:http';

// While the process opens the database, migrates and seeds (seconds on a fresh embedded
// database; as long as a migration takes on PostgreSQL), the port already answers: /healthz 200,
// since the process is alive, and /readyz 503, since it cannot serve yet. An orchestrator then
// neither kills a slow start nor sends it traffic. The real app takes the port over afterwards.

const STARTING_PAGE = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5"><title>Cổng dịch vụ công đang khởi động</title></head>
<body style="font: 1.25rem/1.5 system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem">
<h1>Cổng dịch vụ công đang khởi động</h1>
<p>Xin Ông/Bà chờ trong giây lát: trang sẽ tự tải lại.</p>
<p lang="en">The public services portal is starting. This page reloads by itself in a few seconds.</p>
</body></html>`;

export interface BootServer {
  phase: string;
  close(): Promise<void>;
}

export async function startBootServer(port: number, host: string): Promise<BootServer> {
  const state = { phase: 'starting' };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: object) => {
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        ...(status === 503 ? { 'retry-after': '5' } : {}),
      });
      res.end(JSON.stringify(body));
    };
    if (path === '/healthz') return json(200, { status: 'ok' });
    if (path === '/readyz') return json(503, { status: 'starting', phase: state.phase });
    res.setHeader('connection', 'close');
    // A person who opens the portal during the start sees a page that says so and reloads itself,
    // not an error in JSON (the real pages, their styles and languages are not loaded yet).
    if (req.method === 'GET' && /text\/html/.test(req.headers.accept ?? '')) {
      res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '5' });
      return res.end(STARTING_PAGE);
    }
    return json(503, {
      type: 'urn:motcua:error:starting',
      title: 'Hệ thống đang khởi động / The service is starting',
      status: 503,
      code: 'starting',
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    get phase() {
      return state.phase;
    },
    set phase(p: string) {
      state.phase = p;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
