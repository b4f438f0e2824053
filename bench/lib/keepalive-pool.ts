// A small HTTP/1.1 client for the benchmarks that send JSON bodies and read JSON answers: a fixed
// pool of keep-alive sockets to one server, requests queued until a socket is free (no
// pipelining), responses framed by Content-Length (Fastify sets it on JSON) or chunked encoding.
// Raw sockets for the same reason as http-load.ts: the load generator shares the machine with the
// server and PostgreSQL, so it must spend as little CPU per request as it can (undici would do,
// but is not a dependency of the project).
import { connect, type Socket } from 'node:net';

export interface Reply {
  status: number;
  body: string;
}

interface Pending {
  data: Buffer;
  resolve: (r: Reply) => void;
  reject: (e: Error) => void;
}

const CRLF2 = Buffer.from('\r\n\r\n');

class Conn {
  socket!: Socket;
  busy: Pending | null = null;
  #buf: Buffer = Buffer.alloc(0);
  #need = -1;
  #status = 0;
  #headLen = 0;

  constructor(
    private readonly port: number,
    private readonly onFree: (c: Conn) => void,
  ) {
    this.open();
  }

  private open() {
    this.socket = connect({ port: this.port, host: '127.0.0.1', noDelay: true });
    this.#buf = Buffer.alloc(0);
    this.#need = -1;
    this.socket.on('data', (chunk: Buffer) => this.read(chunk));
    this.socket.on('error', () => {
      /* reported through 'close' */
    });
    this.socket.on('close', () => {
      const p = this.busy;
      this.busy = null;
      if (p) p.reject(new Error('connection closed'));
      if (!this.closing) {
        this.open();
        this.onFree(this);
      }
    });
  }

  closing = false;

  send(p: Pending) {
    this.busy = p;
    this.socket.write(p.data);
  }

  private read(chunk: Buffer) {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    for (;;) {
      if (this.#need === -1) {
        const end = this.#buf.indexOf(CRLF2);
        if (end < 0) return;
        this.#headLen = end + 4;
        const head = this.#buf.subarray(0, end).toString('latin1');
        this.#status = Number(head.slice(9, 12));
        const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        if (cl) this.#need = this.#headLen + Number(cl[1]);
        else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) this.#need = -2;
        else this.#need = this.#headLen;
      }
      let total: number;
      let body: string;
      if (this.#need === -2) {
        const term = this.#buf.indexOf('\r\n0\r\n\r\n', this.#headLen - 2);
        if (term < 0) return;
        total = term + 7;
        body = dechunk(this.#buf.subarray(this.#headLen, total));
      } else {
        if (this.#buf.length < this.#need) return;
        total = this.#need;
        body = this.#buf.subarray(this.#headLen, total).toString('utf8');
      }
      const p = this.busy;
      this.busy = null;
      this.#buf = this.#buf.subarray(total);
      this.#need = -1;
      p?.resolve({ status: this.#status, body });
      this.onFree(this);
      if (!this.#buf.length) return;
    }
  }
}

function dechunk(b: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  for (;;) {
    const eol = b.indexOf('\r\n', i);
    if (eol < 0) break;
    const size = parseInt(b.subarray(i, eol).toString('latin1'), 16);
    if (!size) break;
    parts.push(b.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(parts).toString('utf8');
}

export class KeepAlivePool {
  #free: Conn[] = [];
  #queue: Pending[] = [];
  #conns: Conn[] = [];
  readonly #host: string;

  constructor(
    readonly port: number,
    size: number,
  ) {
    this.#host = `host: 127.0.0.1:${port}\r\nconnection: keep-alive\r\n`;
    for (let i = 0; i < size; i++) {
      const c = new Conn(port, (x) => this.free(x));
      this.#conns.push(c);
      this.#free.push(c);
    }
  }

  /** Requests waiting for a free socket (the client's own queueing, counted in the latency). */
  get queued() {
    return this.#queue.length;
  }

  private free(c: Conn) {
    // An idle socket that the server closed (keep-alive timeout) reopens and reports itself free
    // while it is still in the free list: listed twice, it would be given two requests at once.
    if (c.busy || this.#free.includes(c)) return;
    const next = this.#queue.shift();
    if (next) c.send(next);
    else this.#free.push(c);
  }

  /** `body`: JSON, or a Buffer sent as is (set its content-type in `headers`). */
  request(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    let extra = 'accept' in headers ? '' : 'accept: application/json\r\n';
    for (const k in headers) extra += `${k}: ${headers[k]}\r\n`;
    let data: Buffer;
    if (body === undefined) data = Buffer.from(`${method} ${path} HTTP/1.1\r\n${this.#host}${extra}\r\n`);
    else if (Buffer.isBuffer(body)) {
      // Sent as is (a multipart upload): the caller's headers carry its content-type.
      data = Buffer.concat([
        Buffer.from(`${method} ${path} HTTP/1.1\r\n${this.#host}${extra}content-length: ${body.length}\r\n\r\n`),
        body,
      ]);
    } else {
      const json = Buffer.from(JSON.stringify(body));
      data = Buffer.concat([
        Buffer.from(
          `${method} ${path} HTTP/1.1\r\n${this.#host}${extra}content-type: application/json\r\ncontent-length: ${json.length}\r\n\r\n`,
        ),
        json,
      ]);
    }
    return new Promise<Reply>((resolve, reject) => {
      const p = { data, resolve, reject };
      const c = this.#free.pop();
      if (c) c.send(p);
      else this.#queue.push(p);
    });
  }

  close() {
    for (const c of this.#conns) {
      c.closing = true;
      c.socket.end();
    }
  }
}
