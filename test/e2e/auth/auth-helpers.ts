import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONWebKeySet } from 'jose';
import type { DataSource } from 'typeorm';

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

/**
 * A location of `bizEntityId`, written straight to the table: these suites boot apps whose keys
 * the test signs its own way (JWKS, PEM), so the fixture must not depend on the auth under test.
 */
export async function insertLocation(db: DataSource, bizEntityId: string, name = `Auth ${randomUUID().slice(0, 8)}`): Promise<string> {
  const [row] = (await db.query(
    `INSERT INTO scheduler.locations (biz_entity_id, name, timezone) VALUES ($1, $2, 'Europe/Paris') RETURNING id`,
    [bizEntityId, name],
  )) as { id: string }[];
  return row.id;
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
