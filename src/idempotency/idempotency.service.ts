import { Propagation, Transactional, TransactionHost } from '@nestjs-cls/transactional';
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
}

type Attempt =
  | { kind: 'replay'; record: IdempotencyRecord }
  | { kind: 'succeeded'; body: unknown }
  | { kind: 'failed'; error: unknown };

/** Printable ASCII, 1–255 characters (IETF Idempotency-Key draft: a structured-field string). */
const KEY_SYNTAX = /^[\x20-\x7e]{1,255}$/;

/**
 * Exactly-once writes (DOMAIN.md §Idempotency). One transaction per keyed request:
 *  1. a transaction-scoped advisory try-lock on (principal, key) — a duplicate that cannot
 *     take it is "in progress", and a crash releases it;
 *  2. a live record replays (same request) or refuses (different request);
 *  3. otherwise the handler runs in a savepoint; its writes and the success record commit
 *     together. A storable business error rolls the savepoint back, so nothing it wrote
 *     survives, and only its rendered problem is recorded. Anything else rolls everything back.
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

  async execute(request: IdempotentRequest, successStatus: number, handler: () => Promise<unknown>): Promise<IdempotentOutcome> {
    const attempt = await this.txHost.withTransaction(async (): Promise<Attempt> => {
      if (!(await this.records.tryLock(request.principalSub, request.key))) throw IdempotencyErrors.inProgress();
      const record = await this.records.findLive(request.principalSub, request.key);
      if (record) {
        if (!sameRequest(record, request)) throw IdempotencyErrors.reused();
        return { kind: 'replay', record };
      }
      try {
        const body = await this.txHost.withTransaction(Propagation.Nested, handler);
        await this.records.record(request, { status: successStatus, headers: {}, body: serialize(body) }, this.ttl);
        return { kind: 'succeeded', body };
      } catch (error) {
        const problem = toProblem(error);
        if (!isStorable(problem.status, problem.body.code)) throw error;
        await this.records.record(
          request,
          { status: problem.status, headers: problem.headers, body: JSON.stringify(problem.body) },
          this.ttl,
        );
        return { kind: 'failed', error };
      }
    });

    switch (attempt.kind) {
      case 'succeeded':
        return { body: attempt.body, replayed: false };
      case 'failed':
        throw attempt.error;
      case 'replay': {
        const { status, headers, body } = attempt.record;
        if (status >= 400) throw new RecordedProblem(status, body, { ...headers, 'Idempotent-Replayed': 'true' });
        return { body: body === '' ? undefined : JSON.parse(body), replayed: true };
      }
    }
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
function isStorable(status: number, code: ErrorCode): boolean {
  return status === 409 || status === 422 || code === ErrorCode.SLOT_NOT_OFFERED;
}
