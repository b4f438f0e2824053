import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

export interface EsmsReceived {
  body: Record<string, unknown>;
  smsId: string | null;
  code: string;
}

/**
 * A real HTTP server speaking eSMS.vn's SendMultipleMessage_V4_post_json protocol as its
 * documentation describes it: JSON in, JSON out with CodeResult; 101 for wrong keys, 104 for a
 * brandname the account does not have, 300 without SmsType, 108 for a number it cannot read, 124
 * for a RequestId it has seen, 100 with an SMSID otherwise. Sandbox=1 is checked and answered the
 * same way but is not kept as delivered.
 */
export class TestEsms {
  readonly received: EsmsReceived[] = [];
  port = 0;
  apiKey = 'test-api-key';
  secretKey = 'test-secret-key';
  brandnames = new Set(['MOTCUA']);
  /** Set to answer every request with this instead (an outage, a balance run dry, a hang). */
  failWith: { status: number; body: string } | 'hang' | null = null;
  #requestIds = new Set<string>();
  #server: Server | null = null;
  #hanging = new Set<ServerResponse>();

  get url() {
    return `http://127.0.0.1:${this.port}/MainService.svc/json/SendMultipleMessage_V4_post_json/`;
  }

  /** What reached phones: accepted, not in sandbox mode. */
  get delivered() {
    return this.received.filter((r) => r.code === '100' && r.body.Sandbox !== '1');
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  async stop(): Promise<void> {
    for (const res of this.#hanging) res.destroy();
    const server = this.#server;
    this.#server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.failWith === 'hang') {
      this.#hanging.add(res);
      return;
    }
    if (this.failWith) {
      res.writeHead(this.failWith.status, { 'content-type': 'application/json' }).end(this.failWith.body);
      return;
    }
    if (req.method !== 'POST' || !req.url?.endsWith('/SendMultipleMessage_V4_post_json/')) {
      res.writeHead(404).end();
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"Invalid request"}');
      return;
    }
    const reply = this.#answer(body);
    this.received.push({ body, smsId: typeof reply.SMSID === 'string' ? reply.SMSID : null, code: String(reply.CodeResult) });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  }

  #answer(b: Record<string, unknown>): Record<string, unknown> {
    const fail = (code: string, message: string) => ({ CodeResult: code, CountRegenerate: 0, ErrorMessage: message });
    if (b.ApiKey !== this.apiKey || b.SecretKey !== this.secretKey) return fail('101', 'Authorize Failed');
    if (!b.SmsType) return fail('300', 'Missing message type');
    if (typeof b.Brandname !== 'string' || !this.brandnames.has(b.Brandname)) return fail('104', 'Brand name code is not exist');
    if (typeof b.Phone !== 'string' || !/^(0|84)(3|5|7|8|9)\d{8}$/.test(b.Phone)) return fail('108', 'Phone number is not valid');
    if (typeof b.Content !== 'string' || b.Content === '') return fail('110', 'Content is empty');
    if (typeof b.RequestId === 'string') {
      if (this.#requestIds.has(b.RequestId)) return { ...fail('124', 'Request exist 1'), SendStatus: '5' };
      this.#requestIds.add(b.RequestId);
    }
    return { CodeResult: '100', CountRegenerate: 0, SMSID: randomUUID().replaceAll('-', '') };
  }
}
