import { createServer, type Server } from 'node:http';

// While the process opens the database, migrates and seeds (seconds on a fresh embedded
// database; as long as a migration takes on PostgreSQL), the port already answers: /healthz 200,
// since the process is alive, and /readyz 503, since it cannot serve yet. An orchestrator then
// neither kills a slow start nor sends it traffic. The real app takes the port over afterwards.

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
