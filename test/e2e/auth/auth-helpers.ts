import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JSONWebKeySet, JWTPayload, KeyLike, SignJWT } from 'jose';
import type { Response } from 'supertest';
import type { DataSource } from 'typeorm';
import { TEST_JWT_SECRET } from '../../utils/test-app';

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A complete claim set (fresh `sub`, `iat`, `exp` in 10 minutes) with overrides on top. */
export function claims(overrides: JWTPayload = {}): JWTPayload {
  const now = nowSeconds();
  return { sub: randomUUID(), iat: now, exp: now + 600, ...overrides };
}

/** Signs `payload` exactly as given: nothing is added, so a missing `exp` stays missing. */
export function sign(payload: JWTPayload, key: KeyLike | Uint8Array, alg: string, kid?: string): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT', ...(kid ? { kid } : {}) }).sign(key);
}

export function hmacKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** HS256 with the test app's secret unless another one is given. */
export function hs256(payload: JWTPayload, secret: string = TEST_JWT_SECRET): Promise<string> {
  return sign(payload, hmacKey(secret), 'HS256');
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsecured JWT (RFC 7519 §6): `{"alg":"none"}` header, the payload, an empty signature. */
export function unsecuredToken(payload: JWTPayload): string {
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
}

// ---------------------------------------------------------------------------------------------
// Problem documents
// ---------------------------------------------------------------------------------------------

export const DETAIL = {
  noToken: 'A valid bearer token is required.',
  malformed: 'The token is malformed or cannot be verified.',
  badSignature: 'The token signature is invalid.',
  expired: 'The token has expired.',
  tooOld: 'The token was issued too long ago.',
  algorithm: "The token's algorithm is not accepted.",
  claim: (name: string): string => `The token's ${name} claim is not accepted.`,
  subject: 'The token subject must be a UUID.',
  roles: 'The roles claim must be an array of strings.',
  biz: 'The biz claim must be an array of UUIDs.',
  role: 'Your role does not allow this call.',
  foreignBusiness: (biz: string): string => `Your token may not administer business ${biz}.`,
  locationNotFound: 'The location was not found.',
} as const;

// ---------------------------------------------------------------------------------------------
// Database
// ---------------------------------------------------------------------------------------------

/** A location of `bizEntityId`, written straight to the table (not through the API under test). */
export async function insertLocation(db: DataSource, bizEntityId: string, name = `Auth ${randomUUID().slice(0, 8)}`): Promise<string> {
  const [row] = (await db.query(
    `INSERT INTO scheduler.locations (biz_entity_id, name, timezone) VALUES ($1, $2, 'Europe/Paris') RETURNING id`,
    [bizEntityId, name],
  )) as { id: string }[];
  return row.id;
}

/** The full row, to compare before and after a request that must not change it. */
export async function locationRow(db: DataSource, id: string): Promise<Record<string, unknown> | undefined> {
  const rows = (await db.query('SELECT * FROM scheduler.locations WHERE id = $1', [id])) as Record<string, unknown>[];
  return rows[0];
}

// ---------------------------------------------------------------------------------------------
// JWKS endpoint
// ---------------------------------------------------------------------------------------------

export interface JwksServer {
  url: string;
  /** How many times the key set was fetched. */
  fetches(): number;
  close(): Promise<void>;
}

/** A local key-set endpoint on 127.0.0.1, as an identity provider would publish it. */
export async function serveJwks(jwks: JSONWebKeySet, path = '/.well-known/jwks.json'): Promise<JwksServer> {
  let fetches = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === path) {
      fetches += 1;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(jwks));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    fetches: () => fetches,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
