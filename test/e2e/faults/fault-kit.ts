import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, Server, Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface, Interface } from 'node:readline';
import { Client } from 'pg';

/** One HTTP exchange of a fault test: what came back, or that nothing did. */
export interface Exchange {
  label: string;
  status: number;
  /** The problem code, for error answers. */
  code?: string;
  body?: unknown;
  retryAfter?: string | null;
  /** The request failed below HTTP (connection refused or reset). */
  transportError?: string;
  /** When it was sent, and how long its answer took. */
  startedAt: number;
  ms: number;
}

/** Calls the API over real HTTP (fetch), so connection-level failures show as such. */
export class HttpCaller {
  constructor(private readonly base: string) {}

  async call(
    label: string,
    method: string,
    path: string,
    options: { token?: string; body?: unknown; key?: string; signal?: AbortSignal } = {},
  ): Promise<Exchange> {
    const started = Date.now();
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.key) headers['idempotency-key'] = options.key;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const res = await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
      const text = await res.text();
      const body = text ? (JSON.parse(text) as { code?: string }) : undefined;
      return {
        label,
        status: res.status,
        code: res.status >= 400 ? body?.code : undefined,
        body,
        retryAfter: res.headers.get('retry-after'),
        startedAt: started,
        ms: Date.now() - started,
      };
    } catch (error) {
      return { label, status: -1, transportError: String((error as Error).cause ?? error), startedAt: started, ms: Date.now() - started };
    }
  }
}

/**
 * `workers` loops, each calling `step(worker, iteration)` until stopped: a steady load for phases
 * of a fault test. `stop()` waits for the calls in flight and returns every exchange.
 */
export function startLoad(workers: number, step: (worker: number, iteration: number) => Promise<Exchange>): { stop(): Promise<Exchange[]> } {
  const exchanges: Exchange[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async (_, worker) => {
    for (let iteration = 0; running; iteration += 1) exchanges.push(await step(worker, iteration));
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return exchanges;
    },
  };
}

/** Answers that break "2xx, 4xx or 503 UNAVAILABLE with Retry-After, never a 500". */
export function badAnswers(exchanges: readonly Exchange[]): Exchange[] {
  return exchanges.filter((e) => {
    if (e.status >= 200 && e.status < 300) return false;
    if (e.status >= 400 && e.status < 500) return e.code === undefined;
    if (e.status === 503) return e.code !== 'UNAVAILABLE' || !e.retryAfter;
    return true;
  });
}

export function tally(exchanges: readonly Exchange[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of exchanges) {
    const key = e.status === -1 ? 'transport' : e.code ? `${e.status} ${e.code}` : String(e.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * The invariants every fault test ends with, read from the rows (DOMAIN.md): no slot over
 * capacity; every booking has its history; every recorded 2xx booking response has the state
 * change it answered; and, when asked, no hold left `held` past its TTL. Each entry is a
 * violation; an empty list means all hold.
 */
export async function invariantViolations(
  db: { query(sql: string): Promise<unknown> },
  options: { noStaleHolds?: boolean } = {},
): Promise<string[]> {
  // A TypeORM DataSource answers rows, a pg Client a result with rows.
  const query = async <T>(sql: string): Promise<T[]> => {
    const result = await db.query(sql);
    return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
  };
  const violations: string[] = [];
  for (const row of await query<{ id: string; capacity: number; live: number }>(
    `SELECT s.id, s.capacity, count(b.id)::int AS live
       FROM scheduler.slot_instances s
       JOIN scheduler.bookings b ON b.slot_id = s.id
        AND (b.status = 'confirmed' OR (b.status = 'held' AND b.hold_expires_at > now()))
      GROUP BY s.id HAVING count(b.id) > s.capacity`,
  )) {
    violations.push(`slot ${row.id} holds ${row.live} live bookings for capacity ${row.capacity}`);
  }
  for (const row of await query<{ id: string; status: string }>(
    `SELECT b.id, b.status FROM scheduler.bookings b
      WHERE NOT EXISTS (SELECT 1 FROM scheduler.booking_events e WHERE e.booking_id = b.id AND e.from_status IS NULL)
         OR NOT EXISTS (SELECT 1 FROM scheduler.booking_events e WHERE e.booking_id = b.id AND e.to_status = b.status)`,
  )) {
    violations.push(`booking ${row.id} (${row.status}) lacks its history rows`);
  }
  for (const row of await query<{ key: string; path: string; status: string }>(
    `SELECT k.key, k.path, k.response_body::jsonb ->> 'status' AS status
       FROM scheduler.idempotency_keys k
      WHERE k.response_status BETWEEN 200 AND 299
        AND k.response_body LIKE '{%' AND k.response_body::jsonb ? 'slotId'
        AND NOT EXISTS (SELECT 1 FROM scheduler.booking_events e
                         WHERE e.booking_id = (k.response_body::jsonb ->> 'id')::uuid
                           AND e.to_status = k.response_body::jsonb ->> 'status')`,
  )) {
    violations.push(`key ${row.key} recorded ${row.path} → ${row.status} without that write`);
  }
  if (options.noStaleHolds) {
    for (const row of await query<{ id: string }>(`SELECT id FROM scheduler.bookings WHERE status = 'held' AND hold_expires_at <= now()`)) {
      violations.push(`booking ${row.id} is still held past its TTL`);
    }
  }
  return violations;
}

/** Ends every connection to `database` but its own, as a failover or `pg_ctl stop -m fast` would. */
export async function terminateBackends(admin: Client, database: string): Promise<number> {
  const result = await admin.query<{ n: number }>(
    `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [database],
  );
  return result.rows[0].n;
}

/**
 * A TCP proxy in front of PostgreSQL that the test can freeze: while frozen it accepts
 * connections and keeps them open but passes no byte either way, like a database host that
 * stopped answering (a hung VM, a network partition without resets).
 */
export class FreezableProxy {
  private frozen = false;
  private readonly pairs = new Set<[Socket, Socket]>();
  private server?: Server;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<number> {
    this.server = createServer((client) => {
      const upstream = new Socket();
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      const close = (): void => {
        client.destroy();
        upstream.destroy();
        this.pairs.delete(pair);
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
      upstream.connect(this.targetPort, this.targetHost);
      client.on('data', (chunk) => this.forward(upstream, chunk));
      upstream.on('data', (chunk) => this.forward(client, chunk));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as { port: number }).port;
  }

  /** Bytes sent while frozen are dropped, as a dead link would drop them. */
  private forward(to: Socket, chunk: Buffer): void {
    if (!this.frozen) to.write(chunk);
  }

  freeze(): void {
    this.frozen = true;
  }

  /** Thaws, and cuts the connections that lost bytes: their protocol state is gone. */
  thaw(): void {
    this.frozen = false;
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  async stop(): Promise<void> {
    this.thaw();
    if (this.server) await new Promise((resolve) => this.server!.close(resolve));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Recovery without a restart: readiness green and `path` answered 200 again within `timeoutMs`. */
export function recovers(http: HttpCaller, path: string, token: string, timeoutMs: number): Promise<boolean> {
  return eventually(async () => {
    const [ready, read] = await Promise.all([http.call('ready', 'GET', '/health/ready'), http.call('read', 'GET', path, { token })]);
    return ready.status === 200 && read.status === 200;
  }, timeoutMs);
}

/** Polls `probe` until it returns true or `timeoutMs` passes; returns whether it did. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await probe().catch(() => false)) return true;
    await sleep(everyMs);
  }
  return false;
}

/** One line per fault test on stdout, for docs/reliability.md: what was sent, injected and found. */
export function reportFigures(test: string, figures: Record<string, unknown>): void {
  process.stdout.write(`fault figures: ${test} ${JSON.stringify(figures)}\n`);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A PostgreSQL server of the test's own, which it can stop and start again (test/utils/embedded-postgres-child.mjs). */
export class EmbeddedPostgresChild {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly lines: Interface,
    readonly url: string,
  ) {}

  static async start(): Promise<EmbeddedPostgresChild> {
    const script = join(__dirname, '..', '..', 'utils', 'embedded-postgres-child.mjs');
    const child = spawn(process.execPath, [script, String(await freePort())], { stdio: 'pipe' });
    const lines = createInterface({ input: child.stdout });
    const [first] = (await once(lines, 'line')) as [string];
    if (!first.startsWith('ready ')) throw new Error(`embedded PostgreSQL did not start: ${first}`);
    return new EmbeddedPostgresChild(child, lines, first.slice('ready '.length));
  }

  /** A fast shutdown: every connection gets 57P01, new ones are refused. */
  stop(): Promise<void> {
    return this.command('stop', 'stopped');
  }

  start(): Promise<void> {
    return this.command('start', 'started');
  }

  async exit(): Promise<void> {
    const exited = once(this.child, 'exit');
    this.child.stdin.end('exit\n');
    await exited;
  }

  private async command(line: string, answer: string): Promise<void> {
    const reply = once(this.lines, 'line') as Promise<[string]>;
    this.child.stdin.write(`${line}\n`);
    const [got] = await reply;
    if (got !== answer) throw new Error(`embedded PostgreSQL answered "${got}" to "${line}"`);
  }
}

/** The built server (`dist/main.js`, which `npm test` builds first) as a child process. */
export class ServerProcess {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly port: number,
  ) {
    child.stdout.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  }

  /**
   * Starts it on a free port with `env` over the test defaults, and waits until it is ready.
   * `nodeArgs` go to node before the script (`--require` of a preload).
   */
  static async start(env: Record<string, string>, options: { nodeArgs?: string[] } = {}): Promise<ServerProcess> {
    const main = join(__dirname, '..', '..', '..', 'dist', 'main.js');
    if (!existsSync(main)) throw new Error('dist/main.js is missing: `npm test` builds it first (or run `npm run build`)');
    const port = await freePort();
    // A working directory of its own, so a developer's .env cannot change what is tested.
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), main], {
      cwd: tmpdir(),
      stdio: 'pipe',
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        SEED_DEMO_DATA: 'false',
        SLOT_HORIZON_JOB_ENABLED: 'false',
        RATE_LIMIT_PER_MINUTE: '100000000',
        RATE_LIMIT_HOLDS_PER_MINUTE: '100000000',
        RATE_LIMIT_BROWSE_PER_MINUTE: '100000000',
        RATE_LIMIT_GENERATION_PER_MINUTE: '100000000',
        EXPOSURES_PER_USER_PER_MINUTE: '100000',
        ...env,
      },
    });
    const server = new ServerProcess(child, port);
    const ready = await eventually(async () => (await fetch(`${server.base}/health/ready`)).status === 200, 30_000);
    if (!ready) {
      child.kill('SIGKILL');
      throw new Error(`the server did not become ready:\n${server.output.join('')}`);
    }
    return server;
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}
