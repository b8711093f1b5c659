import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { currentQueryLimits, QueryLimits, UNLIMITED } from './query-limits';

/**
 * The database could not be reached or stopped answering: the connection was refused, lost,
 * cut at a deadline, or no pooled connection came free in time. Rendered as 503 UNAVAILABLE.
 */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** What every pooled client starts with; per-request values come from `runWithQueryLimits`. */
export interface GuardedPoolSettings {
  queryLimits: QueryLimits;
  /** Name parameterised statements, so each connection parses and plans them once (off behind PgBouncer < 1.21). */
  preparedStatements?: boolean;
}

/** How long after `statement_timeout` the client stops waiting: the server's own error comes first when it can. */
const CLIENT_GRACE_MS = 1000;

const log = new Logger('Database');

/** pg's state flags, not in its typings (pg-pool reads the same two to drop broken clients). */
interface ClientState {
  _queryable: boolean;
  _ending: boolean;
}

/**
 * Whether the client is being closed on purpose (by `end()`, as the pool does when it ends): an
 * error it hears then is no failure. pg-pool's end() resolves once it has asked its idle clients
 * to end, before their sockets close, so an embedded server stopped right after hears them still
 * open and ends them with "terminating connection due to administrator command".
 */
function isEnding(client: unknown): boolean {
  return (client as ClientState)._ending === true;
}

type QueryCallback = (error: Error | null, result?: unknown) => void;

/**
 * A pg client that cannot take the process down and cannot hang a request:
 * - it listens for 'error' from the moment it exists (an unhandled 'error' event from a pooled
 *   client ends a Node process — PostgreSQL sends one to every connection when it shuts down);
 * - each transaction's BEGIN carries its `SET LOCAL` timeouts in the same round trip, so they
 *   hold under PgBouncer's transaction pooling (which refuses them as startup parameters);
 * - each statement is bounded on the client by the statement timeout and the unit's deadline:
 *   past it the connection is cut, which the server sees as an abort (no COMMIT can follow), and
 *   the pool drops the client;
 * - failures of the connection itself surface as DatabaseUnavailableError, while the server's
 *   own errors keep their SQLSTATE.
 */
export class GuardedClient extends pg.Client {
  private readonly defaults: QueryLimits;
  private readonly prepares: boolean;
  private prepared = 0;

  constructor(config: pg.ClientConfig & Partial<GuardedPoolSettings> = {}) {
    super(config);
    this.defaults = config.queryLimits ?? UNLIMITED;
    this.prepares = config.preparedStatements ?? false;
    this.on('error', (error) => {
      if (!isEnding(this)) log.warn(`database connection failed: ${error.message}`);
    });
  }

  // One implementation behind pg's overloads: promise, callback and submittable (COPY) forms.
  override query(config: unknown, values?: unknown, callback?: unknown): any {
    const limits = currentQueryLimits() ?? this.defaults;
    const text = isTransactionStart(config) ? beginWithLimits(limits) : this.named(config, values);
    const bound = clientBound(limits);
    if (typeof values === 'function' || typeof callback === 'function') {
      const [args, done] = typeof values === 'function' ? [[] as unknown[], values] : [[values], callback];
      const timer = this.cutAfter(bound);
      return super.query(text as string, ...(args as [unknown[]]), ((error: Error | null, result?: unknown) => {
        clearTimeout(timer);
        (done as QueryCallback)(error ? this.classify(error) : null, result);
      }) as never);
    }
    this.classifyStreamErrors(config);
    const timer = this.cutAfter(bound);
    const result = super.query(text as string, values as unknown[]) as unknown;
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          clearTimeout(timer);
          return isTransactionStart(config) ? (value as unknown[])[0] : value;
        },
        (error: Error) => {
          clearTimeout(timer);
          throw this.classify(error);
        },
      );
    }
    // A submittable such as a COPY stream reports its end through events.
    const emitter = result as NodeJS.EventEmitter;
    for (const event of ['finish', 'end', 'error', 'close']) emitter.once?.(event, () => clearTimeout(timer));
    return result;
  }

  /**
   * A parameterised statement as a named one: node-postgres parses it once per connection and
   * PostgreSQL may keep its plan. At most MAX_PREPARED names per connection, so a connection's
   * memory stays bounded whatever statements pass through it.
   */
  private named(config: unknown, values: unknown): unknown {
    if (!this.prepares || typeof config !== 'string' || !Array.isArray(values) || values.length === 0) return config;
    const name = statementName(config);
    const known = (this as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements;
    if (!(name in known)) {
      if (this.prepared >= MAX_PREPARED) return config;
      this.prepared += 1;
    }
    return { name, text: config, values };
  }

  /**
   * A submittable (a COPY stream) hears of a lost connection through its `handleError`, a write
   * to the dead socket's EPIPE or ECONNRESET among them: it gets the same classified error as
   * any other statement, so a COPY cut short is a 503 too.
   */
  private classifyStreamErrors(config: unknown): void {
    const submittable = config as { submit?: unknown; handleError?: (error: Error, ...rest: unknown[]) => void } | null;
    if (typeof submittable?.submit !== 'function' || typeof submittable.handleError !== 'function') return;
    const handleError = submittable.handleError;
    submittable.handleError = (error: Error, ...rest: unknown[]) => handleError.call(submittable, this.classify(error), ...rest);
  }

  private cutAfter(ms: number | undefined): NodeJS.Timeout | undefined {
    if (ms === undefined) return undefined;
    const timer = setTimeout(() => {
      this.connection.stream.destroy(new DatabaseUnavailableError('The database did not answer in time.'));
    }, Math.max(0, ms));
    timer.unref();
    return timer;
  }

  private classify(error: Error): Error {
    if (error instanceof DatabaseUnavailableError || error instanceof pg.DatabaseError) return error;
    const state = this as unknown as ClientState;
    if (!state._queryable || state._ending) {
      return new DatabaseUnavailableError(`The database connection was lost: ${error.message}`, { cause: error });
    }
    return error;
  }
}

type CheckoutCallback = (error: Error | undefined, client?: pg.PoolClient, release?: (error?: Error | boolean) => void) => void;

/**
 * A pool of GuardedClients that reports a failed or timed-out checkout as DatabaseUnavailableError.
 * A checkout ends at the unit's deadline too: pg's own timeout starts again for the connect of a
 * new client after a wait in the queue, which would let a request outlive its deadline by it.
 */
export class GuardedPool extends pg.Pool {
  constructor(config: pg.PoolConfig & GuardedPoolSettings) {
    super({ ...config, Client: GuardedClient });
    this.on('error', (error) => {
      // The pool itself ends its idle clients first, which sets their ending flag: ask the pool.
      if (!this.ending) log.warn(`idle database connection failed: ${error.message}`);
    });
  }

  // TypeORM checks out with the callback form; the promise form is here for everything else.
  override connect(callback?: unknown): any {
    if (typeof callback === 'function') return this.checkout(callback as CheckoutCallback);
    return new Promise<pg.PoolClient>((resolve, reject) => this.checkout((error, client) => (error ? reject(error) : resolve(client!))));
  }

  private checkout(callback: CheckoutCallback): void {
    const deadline = currentQueryLimits()?.deadline;
    const late = (): Error => new DatabaseUnavailableError('No database connection came free before the deadline.');
    // Past it, a connection would only be cut at its first statement.
    if (deadline !== undefined && deadline <= Date.now()) {
      process.nextTick(() => callback(late()));
      return;
    }
    let answered = false;
    const timer =
      deadline === undefined
        ? undefined
        : setTimeout(() => {
            answered = true;
            callback(late());
          }, deadline - Date.now());
    timer?.unref();
    super.connect((error, client, release) => {
      clearTimeout(timer);
      if (answered) {
        // Too late for the request: the connection goes back to the pool unused. pg keeps the
        // abandoned checkout queued until its own timeout, and a release hands the connection to
        // the next queued one in the same call: on the next tick, so a long queue of abandoned
        // checkouts cannot grow the stack.
        if (!error) process.nextTick(() => release(undefined));
        return;
      }
      answered = true;
      if (error) callback(unavailable(error));
      else callback(undefined, client, release);
    });
  }
}

/** The `pg` module as TypeORM's `driver` option takes it, with the guarded pool in place of pg's. */
export const guardedPg = Object.assign(Object.create(pg) as typeof pg, { Pool: GuardedPool });

function unavailable(error: Error): DatabaseUnavailableError {
  return error instanceof DatabaseUnavailableError
    ? error
    : new DatabaseUnavailableError(`No database connection could be opened: ${error.message}`, { cause: error });
}

const MAX_PREPARED = 256;
const names = new Map<string, string>();

/** A name for the statement's text: the same text has the same name on every connection. */
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `s${createHash('sha1').update(text).digest('base64url')}`;
    if (names.size >= 4 * MAX_PREPARED) names.clear();
    names.set(text, name);
  }
  return name;
}

/** TypeORM opens every transaction with exactly this statement. */
function isTransactionStart(config: unknown): boolean {
  return typeof config === 'string' && config === 'START TRANSACTION';
}

function beginWithLimits(limits: QueryLimits): string {
  const settings = [
    limits.statementTimeoutMs > 0 ? `SET LOCAL statement_timeout = ${Math.trunc(limits.statementTimeoutMs)}` : undefined,
    limits.idleInTransactionTimeoutMs > 0
      ? `SET LOCAL idle_in_transaction_session_timeout = ${Math.trunc(limits.idleInTransactionTimeoutMs)}`
      : undefined,
  ].filter(Boolean);
  return ['START TRANSACTION', ...settings].join('; ');
}

/** Milliseconds this statement may take on the client's clock; undefined = unbounded. */
function clientBound(limits: QueryLimits): number | undefined {
  const bounds = [
    limits.statementTimeoutMs > 0 ? limits.statementTimeoutMs + CLIENT_GRACE_MS : undefined,
    limits.deadline !== undefined ? limits.deadline - Date.now() : undefined,
  ].filter((bound): bound is number => bound !== undefined);
  return bounds.length > 0 ? Math.min(...bounds) : undefined;
}
