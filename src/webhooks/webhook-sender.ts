import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { guardedLookup, hostOf, isPrivateAddress } from './receiver-address';

export interface WebhookRequest {
  url: string;
  /** Signs the body: `webhook-id`. */
  id: string;
  body: string;
  /** Every secret that signs, current first (during a rotation's overlap, the previous one too). */
  secrets: readonly string[];
  timeoutMs: number;
  allowPrivate: boolean;
}

export interface SendOutcome {
  delivered: boolean;
  /** The receiver's status, when it answered. */
  status?: number;
  /** Why it did not count as delivered. */
  error?: string;
}

/**
 * The Standard Webhooks signature header: one `v1,<base64 HMAC-SHA256>` per secret, space
 * separated, made by the `standardwebhooks` package over `id.timestamp.body`.
 */
export function signatureHeader(secrets: readonly string[], id: string, at: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' ');
}

const MAX_ERROR_LENGTH = 500;

/**
 * POSTs one signed webhook. Resolves, never rejects: any answer but a 2xx, and any failure
 * (refused address, DNS, TLS, connection, the deadline), is an outcome to record. Redirects
 * are not followed. The deadline covers everything from connecting to the last byte, so a
 * receiver that hangs or trickles holds one request slot for at most `timeoutMs`.
 */
export function sendWebhook(target: WebhookRequest, now = new Date()): Promise<SendOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: SendOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(outcome.error ? { ...outcome, error: outcome.error.slice(0, MAX_ERROR_LENGTH) } : outcome);
    };
    let url: URL;
    try {
      url = new URL(target.url);
    } catch {
      return resolve({ delivered: false, error: 'the URL is not valid' });
    }
    const host = hostOf(url);
    // A literal address is connected to without any lookup: check it here.
    if (!target.allowPrivate && isIP(host) !== 0 && isPrivateAddress(host)) {
      return resolve({ delivered: false, error: `${host} is a private address` });
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'POST',
      agent: false,
      lookup: guardedLookup(target.allowPrivate) as never,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'General-Scheduler-Webhooks/1',
        'webhook-id': target.id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signatureHeader(target.secrets, target.id, now, target.body),
      },
    });
    const deadline = setTimeout(() => request.destroy(new Error(`no complete answer within ${target.timeoutMs} ms`)), target.timeoutMs);
    request.on('error', (error) => settle({ delivered: false, error: describeError(error) }));
    request.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      // The body is not needed; reading it to the end lets the deadline cover a trickling one.
      response.resume();
      response.on('error', (error) => settle({ delivered: false, status, error: describeError(error) }));
      response.on('end', () => {
        if (status >= 200 && status < 300) return settle({ delivered: true, status });
        const location = response.headers.location;
        settle({ delivered: false, status, error: status >= 300 && status < 400 ? `redirect to ${location ?? '?'} not followed` : `HTTP ${status}` });
      });
      // Cut off mid-body (the deadline, or the receiver): no 'end' comes.
      response.on('close', () => settle({ delivered: false, status, error: 'the answer was cut off' }));
    });
    request.end(target.body);
  });
}

function describeError(error: Error & { code?: string }): string {
  if (error.code === 'ECONNREFUSED') return 'connection refused';
  if (error.code === 'ENOTFOUND') return 'host name not found';
  return error.message || error.code || 'request failed';
}
