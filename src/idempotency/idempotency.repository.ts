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

  /** Held until the surrounding transaction ends, so a crash can never leave a key stuck. */
  async tryLock(principalSub: string, key: string): Promise<boolean> {
    const [row] = (await this.txHost.tx.query('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 7310)) AS locked', [
      // The subject is a fixed-length UUID, so this concatenation is unambiguous.
      `${principalSub}:${key}`,
    ])) as { locked: boolean }[];
    return row.locked;
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

  /** An expired record of the same key is replaced; a live one cannot exist (we hold the lock). */
  async record(request: IdempotentRequest, response: RecordedResponse, ttlSeconds: number): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO scheduler.idempotency_keys
         (principal_sub, key, method, path, fingerprint, response_status, response_headers, response_body, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(secs => $9))
       ON CONFLICT (principal_sub, key) DO UPDATE
         SET method = EXCLUDED.method, path = EXCLUDED.path, fingerprint = EXCLUDED.fingerprint,
             response_status = EXCLUDED.response_status, response_headers = EXCLUDED.response_headers,
             response_body = EXCLUDED.response_body, created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE scheduler.idempotency_keys.expires_at <= now()`,
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
    );
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
