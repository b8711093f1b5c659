import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';

export interface IdempotentRequest {
  principalSub: string;
  key: string;
  method: string;
  path: string;
  fingerprint: string;
}

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface IdempotencyRecord extends IdempotentRequest, RecordedResponse {}

/** SQL for `scheduler.idempotency_keys` and the advisory lock that marks a key in progress. */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  /**
   * In one statement: the transaction-scoped try-lock on (principal, key) — held until the
   * transaction ends, so a crash can never leave a key stuck — and the live record, if any.
   * The record is read with the statement's snapshot, taken just before the lock: a duplicate
   * that committed in between is caught when this request records (`record` returns false).
   */
  async lockAndFind(principalSub: string, key: string): Promise<{ locked: boolean; record?: IdempotencyRecord }> {
    const [row] = (await this.txHost.tx.query(
      `SELECT pg_try_advisory_xact_lock(hashtextextended($1::text || ':' || $2, 7310)) AS locked,
              k.principal_sub AS "principalSub", k.key, k.method, k.path, k.fingerprint,
              k.response_status AS status, k.response_headers AS headers, k.response_body AS body
         FROM (SELECT 1) one
         LEFT JOIN scheduler.idempotency_keys k ON k.principal_sub = $1::uuid AND k.key = $2 AND k.expires_at > now()`,
      // The subject is a fixed-length UUID, so the concatenation is unambiguous.
      [principalSub, key],
    )) as (Partial<IdempotencyRecord> & { locked: boolean })[];
    const { locked, ...record } = row;
    return { locked, record: record.principalSub ? (record as IdempotencyRecord) : undefined };
  }

  async findLive(principalSub: string, key: string): Promise<IdempotencyRecord | undefined> {
    const [row] = (await this.txHost.tx.query(
      `SELECT principal_sub AS "principalSub", key, method, path, fingerprint,
              response_status AS status, response_headers AS headers, response_body AS body
         FROM scheduler.idempotency_keys
        WHERE principal_sub = $1 AND key = $2 AND expires_at > now()`,
      [principalSub, key],
    )) as IdempotencyRecord[];
    return row;
  }

  /**
   * Records the outcome; an expired record of the same key is replaced. False when a live record
   * exists: a duplicate of this request finished first, and its outcome is the one that stands.
   */
  async record(request: IdempotentRequest, response: RecordedResponse, ttlSeconds: number): Promise<boolean> {
    const rows = (await this.txHost.tx.query(
      `INSERT INTO scheduler.idempotency_keys
         (principal_sub, key, method, path, fingerprint, response_status, response_headers, response_body, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(secs => $9))
       ON CONFLICT (principal_sub, key) DO UPDATE
         SET method = EXCLUDED.method, path = EXCLUDED.path, fingerprint = EXCLUDED.fingerprint,
             response_status = EXCLUDED.response_status, response_headers = EXCLUDED.response_headers,
             response_body = EXCLUDED.response_body, created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE scheduler.idempotency_keys.expires_at <= now()
       RETURNING 1`,
      [
        request.principalSub,
        request.key,
        request.method,
        request.path,
        request.fingerprint,
        response.status,
        JSON.stringify(response.headers),
        response.body,
        ttlSeconds,
      ],
    )) as unknown[];
    return rows.length === 1;
  }

  /** One batch of expired records; SKIP LOCKED lets many instances purge side by side. */
  async purgeExpiredBatch(batchSize: number): Promise<number> {
    const [, deleted] = (await this.txHost.tx.query(
      `DELETE FROM scheduler.idempotency_keys
        WHERE (principal_sub, key) IN (
          SELECT principal_sub, key FROM scheduler.idempotency_keys
           WHERE expires_at <= now()
           ORDER BY expires_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED)`,
      [batchSize],
    )) as [unknown, number];
    return deleted;
  }
}
