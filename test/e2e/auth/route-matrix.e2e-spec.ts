import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { acceptedBodies, buildWorld, pathIn, World } from '../../factories/world';
import { expectProblem } from '../../utils/problem';
import { RouteOperation, ROUTE_TABLE } from '../../utils/route-table';
import { startIsolatedTestApp, TestApp, token } from '../../utils/test-app';
import { claims, hs256, unsecuredToken } from '../../factories/tokens';
import { DETAIL } from './auth-helpers';

/**
 * Authentication, roles and tenancy for every operation of the contract (API.md §Auth, DOMAIN.md
 * §Data and tenancy), generated from the route table: a new route is covered the day it is
 * documented. Each refusal is checked to leave every scheduler table exactly as it was. What is
 * particular to one module (lists filtered by business, creates naming another business) stays in
 * that module's tests.
 */

const name = (operation: RouteOperation): string => `${operation.method.toUpperCase()} ${operation.template}`;
const isWrite = (operation: RouteOperation): boolean => operation.method !== 'get';
const hasPathIds = (operation: RouteOperation): boolean => /\{\w+\}/.test(operation.template);

const SECURED = ROUTE_TABLE.filter((operation) => !operation.public);
const ADMIN = SECURED.filter((operation) => operation.admin);
/** Public operations on a caller's own resource (bookings); browsing locations and people is open to every user. */
const OWN = SECURED.filter((operation) => !operation.admin && operation.template.startsWith('/v1/bookings/{id}'));

/** Every scheduler table but idempotency_keys (a refusal may be recorded to replay it), as one fingerprint per table. */
const FINGERPRINT = `
  SELECT c.relname AS "table",
         (xpath('/row/f/text()', query_to_xml(format('SELECT md5(coalesce(string_agg(t::text, ''|'' ORDER BY t::text), '''')) AS f FROM scheduler.%I t', c.relname), false, true, '')))[1]::text AS fingerprint
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'scheduler' AND c.relkind = 'r' AND c.relname NOT IN ('idempotency_keys', 'migrations')
   ORDER BY 1`;

describe('every operation: authentication, roles and tenancy, from the route table', () => {
  let t: TestApp;
  let world: World;

  // A database of its own: the fingerprints see only this file's requests.
  beforeAll(async () => {
    t = await startIsolatedTestApp();
    world = await buildWorld(t);
  });
  afterAll(() => t?.close());

  const fingerprint = async (): Promise<unknown> => t.db.query(FINGERPRINT);

  /** The operation on the world's resources, or (`unknownIds`) on ids no row has. */
  function send(operation: RouteOperation, bearer: string | undefined, unknownIds = false): Promise<Response> {
    const path = pathIn(world, operation, unknownIds);
    const [body] = acceptedBodies(world, operation);
    return t.api.call(operation.method, path, {
      token: bearer,
      body: isWrite(operation) ? (body ?? {}) : undefined,
      headers: isWrite(operation) ? { 'Idempotency-Key': randomUUID() } : {},
    });
  }

  /** The request is refused as `expect` says, and no table changes. */
  async function expectRefused(operation: RouteOperation, bearer: string | undefined, expectRes: (res: Response) => void): Promise<void> {
    const before = await fingerprint();
    expectRes(await send(operation, bearer));
    expect(await fingerprint()).toEqual(before);
  }

  it('covers the contract', () => {
    expect(SECURED.length).toBeGreaterThan(50);
    expect(ROUTE_TABLE.filter((operation) => operation.public).map(name)).toEqual(['GET /health/live', 'GET /health/ready', 'GET /calendar-feeds/{token}/calendar.ics']);
    expect(OWN.map(name)).toEqual(expect.arrayContaining(['GET /v1/bookings/{id}', 'POST /v1/bookings/{id}/confirm', 'POST /v1/bookings/{id}/cancel']));
  });

  describe('401 UNAUTHENTICATED without a valid token', () => {
    const badTokens: [string, () => Promise<string | undefined>, string][] = [
      ['no token', async () => undefined, DETAIL.noToken],
      ['a garbage token', async () => 'not.a.jwt', DETAIL.malformed],
      ['an unsigned (alg: none) superadmin token', async () => unsecuredToken(claims({ roles: ['superadmin'] })), DETAIL.algorithm],
      ['an admin token signed with another key', async () => hs256(claims({ roles: ['admin'], biz: [world.ids.biz[0]] }), 'another-secret-that-is-long-enough-for-hs256-9876543210'), DETAIL.badSignature],
      ['an expired admin token', async () => hs256(claims({ roles: ['admin'], biz: [world.ids.biz[0]], exp: Math.floor(Date.now() / 1000) - 60 })), DETAIL.expired],
    ];
    const cases = SECURED.flatMap((operation) => badTokens.map(([variant, make, detail]) => [name(operation), variant, operation, make, detail] as const));

    it.each(cases)('%s with %s', async (_name, _variant, operation, make, detail) => {
      await expectRefused(operation, await make(), (res) => expectProblem(res, 'UNAUTHENTICATED', detail));
    });
  });

  describe('403 FORBIDDEN for a role the admin API does not serve', () => {
    const noAdminRole: [string, () => Record<string, unknown>][] = [
      ['a plain user token (no roles, no biz claim)', () => ({})],
      ['role user with the business in its biz claim', () => ({ roles: ['user'], biz: [world.ids.biz[0]] })],
      ['no roles claim', () => ({ biz: [world.ids.biz[0]] })],
      ['an empty roles array', () => ({ roles: [], biz: [world.ids.biz[0]] })],
      ['only an unknown role', () => ({ roles: ['root'], biz: [world.ids.biz[0]] })],
    ];
    const cases = ADMIN.flatMap((operation) => noAdminRole.map(([variant, make]) => [name(operation), variant, operation, make] as const));

    it.each(cases)('%s with %s', async (_name, _variant, operation, make) => {
      await expectRefused(operation, await token(make()), (res) => expectProblem(res, 'FORBIDDEN', DETAIL.role));
    });

    it.each(ADMIN.filter(isWrite).map((operation) => [name(operation), operation] as const))('%s by a viewer of the business', async (_name, operation) => {
      await expectRefused(operation, world.tokens.viewer, (res) => expectProblem(res, 'FORBIDDEN', DETAIL.role));
    });
  });

  describe("404 NOT_FOUND for another business's resources, exactly as for ids that do not exist", () => {
    const byId = ADMIN.filter(hasPathIds);

    /** What the operation answers its own admin for ids that do not exist. */
    const notFound = async (operation: RouteOperation): Promise<string> => {
      const res = await send(operation, world.tokens.admin, true);
      expectProblem(res, 'NOT_FOUND');
      return (res.body as { detail: string }).detail;
    };

    it.each(byId.map((operation) => [name(operation), operation] as const))('%s by an admin of another business', async (_name, operation) => {
      const detail = await notFound(operation);
      await expectRefused(operation, world.tokens.otherAdmin, (res) => expectProblem(res, 'NOT_FOUND', detail));
    });

    it.each(byId.filter((operation) => !isWrite(operation)).map((operation) => [name(operation), operation] as const))(
      '%s by a viewer of another business, while the owner reads it',
      async (_name, operation) => {
        const otherViewer = await token({ roles: ['viewer'], biz: [world.ids.biz[1]] });
        const detail = await notFound(operation);
        await expectRefused(operation, otherViewer, (res) => expectProblem(res, 'NOT_FOUND', detail));
        expect((await send(operation, world.tokens.viewer)).status).toBe(200);
      },
    );

    it.each(OWN.map((operation) => [name(operation), operation] as const))("%s of another user's booking", async (_name, operation) => {
      const stranger = await token({ sub: world.ids.user[1] });
      await expectRefused(operation, stranger, (res) => expectProblem(res, 'NOT_FOUND', 'The booking was not found.'));
    });
  });
});
