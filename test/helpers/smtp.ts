import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server in this process; every accepted message is parsed and kept. */
export class TestSmtp {
  readonly messages: { envelopeTo: string[]; mail: ParsedMail }[] = [];
  port = 0;
  readonly connectionErrors: Error[] = [];
  /**
   * Called when a message is kept, just before the 250 that accepts it is sent: a test can kill
   * the sender there, after it transmitted the message but before it can record the delivery.
   */
  onMessage: ((mail: ParsedMail) => void) | null = null;
  #server: SMTPServer | null = null;

  async start(port = 0): Promise<void> {
    const server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        simpleParser(stream).then(
          (mail) => {
            this.messages.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail });
            this.onMessage?.(mail);
            callback();
          },
          (err: Error) => callback(err),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    server.removeAllListeners('error');
    // A sender that dies mid-session resets its connection: the sender's problem, kept for tests to see.
    server.on('error', (e) => this.connectionErrors.push(e));
    this.port = (server.server.address() as AddressInfo).port;
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
