import { AsyncLocalStorage } from 'node:async_hooks';
import type { AppConfig } from '../config/app-config';

/**
 * How long the database work of one unit (a request, a job run) may take. The pg layer
 * (`guarded-pg.ts`) reads it for every statement: transactions get it as `SET LOCAL`, and each
 * statement is bounded on the client too, so a database that stops answering cannot hold a
 * request past its deadline.
 */
export interface QueryLimits {
  /** `statement_timeout` of each transaction; 0 = none. */
  statementTimeoutMs: number;
  /** `idle_in_transaction_session_timeout` of each transaction; 0 = none. */
  idleInTransactionTimeoutMs: number;
  /** Epoch milliseconds by which every statement must have answered; the connection is cut then. */
  deadline?: number;
}

const storage = new AsyncLocalStorage<QueryLimits>();

/** Runs `work` (and everything it starts) under `limits`. */
export function runWithQueryLimits<T>(limits: QueryLimits, work: () => T): T {
  return storage.run(limits, work);
}

/** The limits of the unit of work in progress; undefined outside any (the pool's defaults apply). */
export function currentQueryLimits(): QueryLimits | undefined {
  return storage.getStore();
}

/** Migrations at startup may rewrite whole tables: no limit but the operator's patience. */
export const UNLIMITED: QueryLimits = Object.freeze({ statementTimeoutMs: 0, idleInTransactionTimeoutMs: 0 });

type LimitSettings = Pick<
  AppConfig,
  'DB_STATEMENT_TIMEOUT_MS' | 'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS' | 'REQUEST_TIMEOUT_MS' | 'LONG_REQUEST_TIMEOUT_MS'
>;

/** An ordinary request, from now. */
export function requestLimits(config: LimitSettings): QueryLimits {
  return {
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    deadline: Date.now() + config.REQUEST_TIMEOUT_MS,
  };
}

/** Slot generation and bulk cancel, from now: one statement of several seconds is their normal. */
export function longRunningLimits(config: LimitSettings): QueryLimits {
  return {
    statementTimeoutMs: config.LONG_REQUEST_TIMEOUT_MS,
    idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    deadline: Date.now() + config.LONG_REQUEST_TIMEOUT_MS,
  };
}
