// An HTTP/1.1 load generator for the HTTP benchmarks, in the manner of autocannon: `connections`
// keep-alive sockets, each sending its next request as soon as the previous response has been read
// in full (no pipelining), for a warm-up and a measured period; every response's latency is kept, so
// the percentiles are exact. It runs in its own process (`runLoad` forks it), so the server under
// test keeps its event loop to itself. Raw sockets rather than node:http: the client must be cheap
// enough not to be the bottleneck of a bare "hello" route.
import { fork } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export interface LoadSpec {
  port: number;
  /** Request paths, cycled through; each connection starts at its own offset. */
  paths: string[];
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
  warmup: number;
}

export interface LoadResult {
  requests: number;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Responses by status code (measured period only). */
  statuses: Record<string, number>;
  socketErrors: number;
  bytesPerResponse: number;
  /** CPU of the load generator per request, ms. */
  clientCpuMs: number;
}

const CRLF2 = Buffer.from('\r\n\r\n');

/** One connection: parse responses off the socket (Content-Length or chunked), send the next request. */
function connection(
  spec: LoadSpec,
  index: number,
  record: (ms: number, status: number, bytes: number) => void,
  onError: () => void,
  stop: () => boolean,
) {
  const head = Object.entries({ host: `127.0.0.1:${spec.port}`, connection: 'keep-alive', accept: '*/*', ...spec.headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const requests = spec.paths.map((p) => Buffer.from(`GET ${p} HTTP/1.1\r\n${head}\r\n`));
  let next = (index * 7919) % requests.length;
  return new Promise<void>((resolve) => {
    let socket: Socket;
    let buf: Buffer = Buffer.alloc(0);
    let sentAt = 0;
    let need = -1; // bytes of the whole response once the head is parsed; -2: chunked
    let status = 0;
    let headLen = 0;
    const send = () => {
      if (stop()) {
        socket.end();
        resolve();
        return;
      }
      sentAt = performance.now();
      socket.write(requests[next]!);
      next = (next + 1) % requests.length;
    };
    const open = () => {
      socket = connect({ port: spec.port, host: '127.0.0.1', noDelay: true });
      buf = Buffer.alloc(0);
      need = -1;
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        for (;;) {
          if (need === -1) {
            const end = buf.indexOf(CRLF2);
            if (end < 0) return;
            headLen = end + 4;
            const headText = buf.subarray(0, end).toString('latin1');
            status = Number(headText.slice(9, 12));
            const cl = /\r\ncontent-length:\s*(\d+)/i.exec(headText);
            if (cl) need = headLen + Number(cl[1]);
            else if (/\r\ntransfer-encoding:\s*chunked/i.test(headText)) need = -2;
            else need = headLen;
          }
          let total: number;
          if (need === -2) {
            const term = buf.indexOf('\r\n0\r\n\r\n', headLen - 2);
            if (term < 0) return;
            total = term + 7;
          } else {
            if (buf.length < need) return;
            total = need;
          }
          record(performance.now() - sentAt, status, total);
          buf = buf.subarray(total);
          need = -1;
          send();
          if (!buf.length) return;
        }
      });
      socket.on('error', () => {
        onError();
      });
      socket.on('close', () => {
        if (stop()) resolve();
        else setTimeout(open, 10);
      });
    };
    open();
  });
}

async function load(spec: LoadSpec): Promise<LoadResult> {
  const start = performance.now();
  const from = start + spec.warmup * 1000;
  const to = from + spec.seconds * 1000;
  const lat: number[] = [];
  const statuses: Record<string, number> = {};
  let bytes = 0;
  let errors = 0;
  let cpu0: NodeJS.CpuUsage | null = null;
  const record = (ms: number, status: number, n: number) => {
    const now = performance.now();
    if (now < from || now > to) return;
    cpu0 ??= process.cpuUsage();
    lat.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
    bytes += n;
  };
  await Promise.all(
    Array.from({ length: spec.connections }, (_, i) =>
      connection(
        spec,
        i,
        record,
        () => errors++,
        () => performance.now() > to,
      ),
    ),
  );
  const cpu = process.cpuUsage(cpu0 ?? undefined);
  lat.sort((a, b) => a - b);
  const pct = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]! : NaN);
  return {
    requests: lat.length,
    rate: lat.length / spec.seconds,
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    max: lat.at(-1) ?? NaN,
    statuses,
    socketErrors: errors,
    bytesPerResponse: lat.length ? bytes / lat.length : 0,
    clientCpuMs: lat.length ? (cpu.user + cpu.system) / 1000 / lat.length : NaN,
  };
}

/** Runs one load in a child process and returns its figures. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child'], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: LoadResult | null = null;
    child.on('message', (m) => {
      result = m as LoadResult;
    });
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`load generator exited with ${code}`))));
    child.send(spec);
  });
}

if (process.argv.includes('--child')) {
  process.once('message', (spec) => {
    void load(spec as LoadSpec).then((r) => {
      process.send!(r, () => process.exit(0));
    });
  });
}
