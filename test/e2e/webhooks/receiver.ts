import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** What this receiver answered (0: it never answered). */
  answered: number;
}

/** What to answer the n-th request (0-based): a status, or 'hang' to never answer. */
export type Answer = (request: { id: string; body: string }, n: number) => number | 'hang';

/**
 * A real HTTP receiver on loopback, as a host application would run one: it records every
 * request it gets, answers as told, and verifies signatures with the `standardwebhooks`
 * package (never by hand).
 */
export class Receiver {
  readonly received: ReceivedWebhook[] = [];
  answer: Answer = () => 200;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server);
    server.on('request', (req, res) => receiver.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path = '/hooks', host = '127.0.0.1'): string {
    return `http://${host}:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** The parsed bodies of the requests answered 2xx, in arrival order. */
  deliveredBodies(): { type: string; timestamp: string; data: Record<string, unknown> }[] {
    return this.received.filter((r) => r.answered >= 200 && r.answered < 300).map((r) => JSON.parse(r.body));
  }

  /** `standardwebhooks` verification of one received request with this secret; throws when it does not match. */
  static verify(secret: string, request: ReceivedWebhook): unknown {
    return new Webhook(secret).verify(request.body, {
      'webhook-id': request.id,
      'webhook-timestamp': request.timestamp,
      'webhook-signature': request.signature,
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const record: ReceivedWebhook = {
        id: String(req.headers['webhook-id']),
        timestamp: String(req.headers['webhook-timestamp']),
        signature: String(req.headers['webhook-signature']),
        body: Buffer.concat(chunks).toString('utf8'),
        answered: 0,
      };
      const answer = this.answer({ id: record.id, body: record.body }, this.received.length);
      this.received.push(record);
      if (answer === 'hang') return;
      record.answered = answer;
      res.writeHead(answer).end();
    });
  }
}
