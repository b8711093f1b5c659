import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { inBatches } from '../common/database/batches';
import { ErrorCode } from '../common/errors/error-code';
import { RecordedProblem, toProblem } from '../common/errors/problem';
import { IdempotencyErrors } from './idempotency.errors';
import { IdempotencyRecord, IdempotencyRepository, IdempotentRequest } from './idempotency.repository';

export interface IdempotentOutcome {
  body: unknown;
  replayed: boolean;
  /** A replay's recorded headers of the representation (its ETag). */
  headers?: Record<string, string>;
}

/** A success as it will be sent: its status, and the representation's headers once the handler has answered. */
export interface SuccessResponse {
  status: number;
  headers: () => Record<string, string>;
}

/** Printable ASCII, 1–255 characters (IETF Idempotency-Key draft: a structured-field string). */
const KEY_SYNTAX = /^[\x20-\x7e]{1,255}$/;

/**
 * Exactly-once writes (DOMAIN.md §Idempotency), in the request's one transaction:
 *  1. a transaction-scoped advisory try-lock on (principal, key), read together with the live
 *     record — a duplicate that cannot take the lock is "in progress", and a crash releases it;
 *  2. a live record replays (same request) or refuses (different request);
 *  3. otherwise the handler runs, and its writes and the success record commit together.
 * A storable business error rolls the transaction back, so nothing the handler wrote survives,
 * and its rendered problem is then recorded on its own. Whenever recording finds a live record
 * already there (a duplicate finished first, between our snapshot and our lock, or while our
 * error was being recorded), this request's own outcome is dropped — rolled back, if it wrote —
 * and the recorded one is answered instead: every request with a key gets the one outcome.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly records: IdempotencyRepository,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  assertKeySyntax(key: string): void {
    if (!KEY_SYNTAX.test(key)) throw IdempotencyErrors.invalid();
  }

  async execute(request: IdempotentRequest, success: SuccessResponse, handler: () => Promise<unknown>): Promise<IdempotentOutcome> {
    let outcome: IdempotentOutcome | IdempotencyRecord;
    try {
      outcome = await this.txHost.withTransaction(async () => {
        const { locked, record } = await this.records.lockAndFind(request.principalSub, request.key);
        if (!locked) throw IdempotencyErrors.inProgress();
        if (record) return record;
        const body = await handler().catch((error: unknown) => Promise.reject(new HandlerFailed(error)));
        const recorded = await this.records.record(request, { status: success.status, headers: success.headers(), body: serialize(body) }, this.ttl);
        if (!recorded) throw new OutcomeAlreadyRecorded();
        return { body, replayed: false };
      });
    } catch (error) {
      if (error instanceof HandlerFailed) outcome = await this.recordFailure(request, error.cause);
      else if (error instanceof OutcomeAlreadyRecorded) outcome = await this.standingRecord(request);
      else throw error;
    }
    return 'replayed' in outcome ? outcome : this.replay(request, outcome);
  }

  /**
   * After the rollback: a storable business outcome is recorded in a transaction of its own and
   * thrown; anything else is thrown as it is, recording nothing (the client may retry the key).
   * When another request's outcome got there first, that record is returned to be answered.
   */
  private async recordFailure(request: IdempotentRequest, error: unknown): Promise<IdempotencyRecord> {
    const problem = toProblem(error);
    if (!isStorable(problem.status, problem.body.code)) throw error;
    const response = { status: problem.status, headers: problem.headers, body: JSON.stringify(problem.body) };
    if (await this.txHost.withTransaction(() => this.records.record(request, response, this.ttl))) throw error;
    return this.standingRecord(request);
  }

  private async standingRecord(request: IdempotentRequest): Promise<IdempotencyRecord> {
    const standing = await this.records.findLive(request.principalSub, request.key);
    // Expired in the meantime (a TTL is a minute at the least): nothing stands, so a retry is safe.
    if (!standing) throw IdempotencyErrors.inProgress();
    return standing;
  }

  private replay(request: IdempotentRequest, record: IdempotencyRecord): IdempotentOutcome {
    if (!sameRequest(record, request)) throw IdempotencyErrors.reused();
    const { status, headers, body } = record;
    if (status >= 400) throw new RecordedProblem(status, body, { ...headers, 'Idempotent-Replayed': 'true' });
    return { body: body === '' ? undefined : JSON.parse(body), replayed: true, headers };
  }

  /** Deletes expired records batch by batch, each batch a transaction; returns how many went. */
  purgeExpired(batchSize = 1000): Promise<number> {
    return inBatches(batchSize, (size) => this.purgeBatch(size));
  }

  // In a transaction, so the pool's statement limits reach the server too (SET LOCAL).
  @Transactional()
  private purgeBatch(batchSize: number): Promise<number> {
    return this.records.purgeExpiredBatch(batchSize);
  }

  private get ttl(): number {
    return this.config.IDEMPOTENCY_TTL_SECONDS;
  }
}

/** Rolls back a request whose key another request recorded first. */
class OutcomeAlreadyRecorded extends Error {}

/** The handler's own error, carried out of the transaction so it rolls back before being recorded. */
class HandlerFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('handler failed');
  }
}

function sameRequest(record: IdempotencyRecord, request: IdempotentRequest): boolean {
  return record.method === request.method && record.path === request.path && record.fingerprint === request.fingerprint;
}

/** Express sends objects with JSON.stringify; an empty body (204) is the empty string. */
function serialize(body: unknown): string {
  return body === undefined ? '' : JSON.stringify(body);
}

/**
 * Business outcomes are final and replayed: 409s, 422s and SLOT_NOT_OFFERED. Validation
 * (400), authentication (401/403), rate limits (429) and server errors (5xx) are not, so the
 * client may retry them with the same key.
 */
export function isStorable(status: number, code: ErrorCode): boolean {
  return status === 409 || status === 422 || code === ErrorCode.SLOT_NOT_OFFERED;
}
