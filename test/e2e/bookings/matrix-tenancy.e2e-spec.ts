import type { Response } from 'supertest';
import { business, Business, key, newUser } from '../../factories/bookings';
import { caller } from '../../factories/tokens';
import { startTestApp, TestApp } from '../../utils/test-app';
import { bookingRow, call, snapshot, wideRange } from './matrix-helpers';
import { expectProblem } from '../../utils/problem';

/**
 * What is particular to the booking routes in API.md §Authentication and roles: public routes
 * act as the caller only (staff included), lists hold nothing of another business, a body naming
 * another business's slot, person or location finds nothing — and none of those writes anything.
 * Each route is also shown to work for the caller it is meant for, so a refusal here is never a
 * route that refuses everyone. The generic 401, 403 and foreign-id 404 of every operation are
 * generated from the route table (test/e2e/auth/route-matrix.e2e-spec.ts).
 */

interface Route {
  name: string;
  area: 'public' | 'admin';
  write: boolean;
  call(t: TestApp, bearer: string | undefined, target: Business): Promise<Response>;
  /** What a caller entitled to `target` gets. */
  ok(res: Response, target: Business): void;
}

const booking = (res: Response, httpStatus: number, fields: Record<string, unknown>): void => {
  expect({ status: res.status, body: res.body }).toEqual({ status: httpStatus, body: expect.objectContaining(fields) });
};
const ids = (res: Response): string[] => (res.body.data as { id: string }[]).map((b) => b.id);

const PUBLIC_ROUTES: Route[] = [
  {
    name: 'POST /v1/bookings',
    area: 'public',
    write: true,
    call: (t, bearer, b) => t.api.post('/v1/bookings', { token: bearer, body: { slotId: b.slotIds[1] }, headers: key() }),
    ok: (res, b) => booking(res, 201, { slotId: b.slotIds[1], userId: b.user.id, status: 'held' }),
  },
  {
    name: 'POST /v1/bookings/{id}/confirm',
    area: 'public',
    write: true,
    call: (t, bearer, b) => t.api.post(`/v1/bookings/${b.held}/confirm`, { token: bearer, headers: key() }),
    ok: (res, b) => booking(res, 200, { id: b.held, status: 'confirmed' }),
  },
  {
    name: 'POST /v1/bookings/{id}/cancel',
    area: 'public',
    write: true,
    call: (t, bearer, b) => t.api.post(`/v1/bookings/${b.held}/cancel`, { token: bearer, body: { reason: 'mine' }, headers: key() }),
    ok: (res, b) => booking(res, 200, { id: b.held, status: 'cancelled', cancelReason: 'mine' }),
  },
  {
    name: 'GET /v1/bookings',
    area: 'public',
    write: false,
    // An explicit window: the started booking lies before any default `from = now`.
    call: (t, bearer) => t.api.get(`/v1/bookings?from=${wideRange().from}&to=${wideRange().to}`, { token: bearer }),
    ok: (res, b) => {
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual([b.started, b.held]);
    },
  },
  {
    name: 'GET /v1/bookings/{id}',
    area: 'public',
    write: false,
    call: (t, bearer, b) => t.api.get(`/v1/bookings/${b.held}`, { token: bearer }),
    ok: (res, b) => booking(res, 200, { id: b.held, status: 'held' }),
  },
];

const ADMIN_ROUTES: Route[] = [
  {
    name: 'GET /v1/admin/bookings',
    area: 'admin',
    write: false,
    call: (t, bearer, b) => t.api.get(`/v1/admin/bookings?locationId=${b.locationId}`, { token: bearer }),
    ok: (res, b) => {
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual([b.started, b.held]);
    },
  },
  {
    name: 'GET /v1/admin/bookings/{id}',
    area: 'admin',
    write: false,
    call: (t, bearer, b) => t.api.get(`/v1/admin/bookings/${b.held}`, { token: bearer }),
    ok: (res, b) => booking(res, 200, { id: b.held, userId: b.user.id, status: 'held' }),
  },
  {
    name: 'POST /v1/admin/bookings',
    area: 'admin',
    write: true,
    call: (t, bearer, b) =>
      t.api.post('/v1/admin/bookings', { token: bearer, body: { slotId: b.slotIds[1], userId: b.user.id }, headers: key() }),
    ok: (res, b) => booking(res, 201, { slotId: b.slotIds[1], userId: b.user.id, status: 'confirmed' }),
  },
  {
    name: 'POST /v1/admin/bookings/{id}/cancel',
    area: 'admin',
    write: true,
    call: (t, bearer, b) =>
      t.api.post(`/v1/admin/bookings/${b.held}/cancel`, { token: bearer, body: { reason: 'operator' }, headers: key() }),
    ok: (res, b) => booking(res, 200, { id: b.held, status: 'cancelled', cancelReason: 'operator' }),
  },
  {
    name: 'POST /v1/admin/bookings/{id}/reschedule',
    area: 'admin',
    write: true,
    call: (t, bearer, b) =>
      t.api.post(`/v1/admin/bookings/${b.held}/reschedule`, { token: bearer, body: { slotId: b.slotIds[2] }, headers: key() }),
    ok: (res, b) => booking(res, 200, { id: b.held, slotId: b.slotIds[2], status: 'held' }),
  },
  {
    name: 'POST /v1/admin/bookings/{id}/complete',
    area: 'admin',
    write: true,
    call: (t, bearer, b) => t.api.post(`/v1/admin/bookings/${b.started}/complete`, { token: bearer, headers: key() }),
    ok: (res, b) => booking(res, 200, { id: b.started, status: 'completed' }),
  },
  {
    name: 'POST /v1/admin/bookings/{id}/no-show',
    area: 'admin',
    write: true,
    call: (t, bearer, b) => t.api.post(`/v1/admin/bookings/${b.started}/no-show`, { token: bearer, headers: key() }),
    ok: (res, b) => booking(res, 200, { id: b.started, status: 'no_show' }),
  },
  {
    name: 'POST /v1/admin/bookings/bulk-cancel',
    area: 'admin',
    write: true,
    call: (t, bearer, b) =>
      call(t, 'post', '/v1/admin/bookings/bulk-cancel', {
        token: bearer,
        body: { locationId: b.locationId, ...wideRange(), reason: 'closed for the day' },
        headers: key(),
      }),
    ok: (res) => {
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { cancelled: 2 } });
    },
  },
];

const byName = (routes: Route[]): [string, Route][] => routes.map((r) => [r.name, r]);

describe('booking routes: authentication, roles and tenancy', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('public routes act as the caller only', () => {
    it.each(byName(PUBLIC_ROUTES))('%s works for the booking\'s owner', async (_name, route) => {
      const b = await business(t);
      route.ok(await route.call(t, b.user.token, b), b);
    });

    const ownRoutes = PUBLIC_ROUTES.filter((r) => r.name.includes('{id}'));
    const strangers: [string, (b: Business) => Promise<string>][] = [
      ['another user', async () => (await newUser(t)).token],
      ['an admin of the booking\'s business', async (b) => b.admin],
      ['a superadmin', async () => (await caller({ roles: ['superadmin'] })).token],
    ];
    // Another user on these routes is proven for every own-booking operation by the route matrix.
    const staff = strangers.filter(([who]) => who !== 'another user');
    const cases = ownRoutes.flatMap((route) => staff.map(([who, make]) => [route.name, who, route, make] as const));

    it.each(cases)('%s by %s is 404 NOT_FOUND and leaves the booking unchanged', async (_name, _who, route, make) => {
      const b = await business(t);
      const stranger = await make(b);
      const rowBefore = await bookingRow(t, b.held);
      const before = await snapshot(t, [b.bizEntityId], [b.user.id]);
      const res = await route.call(t, stranger, b);
      expectProblem(res, 'NOT_FOUND');
      expect(await bookingRow(t, b.held)).toEqual(rowBefore);
      expect(await snapshot(t, [b.bizEntityId], [b.user.id])).toEqual(before);
    });

    it.each(strangers)('GET /v1/bookings by %s lists none of the owner\'s bookings', async (_who, make) => {
      const b = await business(t);
      const res = await t.api.get(`/v1/bookings?from=${wideRange().from}`, { token: await make(b) });
      expect(res.status).toBe(200);
      expect(ids(res)).toEqual([]);
    });
  });

  describe('a viewer reads its business and writes nothing', () => {
    it.each(byName(ADMIN_ROUTES.filter((r) => !r.write)))('%s answers 200 for the viewer\'s business', async (_name, route) => {
      const b = await business(t);
      route.ok(await route.call(t, b.viewer.token, b), b);
    });

    it('GET /v1/admin/bookings/{id} of another business is 404 for a viewer, and its list is empty', async () => {
      const a = await business(t);
      const b = await business(t);
      expectProblem(await t.api.get(`/v1/admin/bookings/${b.held}`, { token: a.viewer.token }), 'NOT_FOUND');
      const list = await t.api.get(`/v1/admin/bookings?locationId=${b.locationId}`, { token: a.viewer.token });
      expect(list.status).toBe(200);
      expect(ids(list)).toEqual([]);
    });
  });

  describe('an admin of business A', () => {
    it.each(byName(ADMIN_ROUTES))('%s works on A\'s own bookings', async (_name, route) => {
      const a = await business(t);
      route.ok(await route.call(t, a.adminCaller.token, a), a);
    });

    /**
     * What admin A gets on B's resources: 404, as for a missing one — B's location named in a
     * bulk-cancel body included (the service looks the location up within A's businesses) —
     * except the list, which just has nothing of B's.
     */
    const refusedOnB: Record<string, (res: Response) => void> = {
      'GET /v1/admin/bookings': (res) => {
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ data: [], nextCursor: null });
      },
    };

    // By-id routes are proven for every operation by the route matrix; these name B's resources in the query or body.
    const byReference = ADMIN_ROUTES.filter((r) => !r.name.includes('{id}'));

    it.each(byName(byReference))('%s on business B\'s resources finds nothing, and B is unchanged', async (name, route) => {
      const a = await business(t);
      const b = await business(t);
      const before = await snapshot(t, [a.bizEntityId, b.bizEntityId], [a.user.id, b.user.id, a.adminCaller.sub]);
      const res = await route.call(t, a.adminCaller.token, b);
      if (refusedOnB[name]) refusedOnB[name](res);
      else expectProblem(res, 'NOT_FOUND');
      const after = await snapshot(t, [a.bizEntityId, b.bizEntityId], [a.user.id, b.user.id, a.adminCaller.sub]);
      expect(after.bookings).toEqual(before.bookings);
      expect(after.events).toEqual(before.events);
    });

    it('cannot move its own booking into a slot of business B (404), and neither booking nor slot changes', async () => {
      const a = await business(t);
      const b = await business(t);
      const before = await snapshot(t, [a.bizEntityId, b.bizEntityId], [a.user.id, b.user.id]);
      const res = await t.api.post(`/v1/admin/bookings/${a.held}/reschedule`, {
        token: a.adminCaller.token,
        body: { slotId: b.slotIds[1] },
        headers: key(),
      });
      expectProblem(res, 'NOT_FOUND');
      expect(await snapshot(t, [a.bizEntityId, b.bizEntityId], [a.user.id, b.user.id])).toEqual(before);
    });

    it('cannot book a user into a slot of business B even for its own user (404)', async () => {
      const a = await business(t);
      const b = await business(t);
      const before = await snapshot(t, [a.bizEntityId, b.bizEntityId], [a.user.id, b.user.id]);
      const res = await t.api.post('/v1/admin/bookings', {
        token: a.adminCaller.token,
        body: { slotId: b.slotIds[2], userId: a.user.id, status: 'held' },
        headers: key(),
      });
      expectProblem(res, 'NOT_FOUND');
      expect(await snapshot(t, [a.bizEntityId, b.bizEntityId], [a.user.id, b.user.id])).toEqual(before);
    });

    it('sees none of B\'s bookings in its unfiltered list, nor when filtering by B\'s user or person', async () => {
      const a = await business(t);
      const b = await business(t);
      const range = `from=${wideRange().from}&to=${wideRange().to}`;
      const unfiltered = await t.api.get(`/v1/admin/bookings?${range}&limit=200`, { token: a.adminCaller.token });
      expect(unfiltered.status).toBe(200);
      expect(ids(unfiltered)).toEqual([a.started, a.held]);
      for (const filter of [`userId=${b.user.id}`, `personId=${b.personId}`]) {
        const res = await t.api.get(`/v1/admin/bookings?${filter}`, { token: a.adminCaller.token });
        expect({ filter, status: res.status, data: res.body.data }).toEqual({ filter, status: 200, data: [] });
      }
    });

    it('bulk-cancel of A\'s location naming B\'s person cancels nothing anywhere', async () => {
      const a = await business(t);
      const b = await business(t);
      const before = await snapshot(t, [a.bizEntityId, b.bizEntityId], [a.user.id, b.user.id]);
      const res = await call(t, 'post', '/v1/admin/bookings/bulk-cancel', {
        token: a.adminCaller.token,
        body: { locationId: a.locationId, personIds: [b.personId], ...wideRange(), reason: 'closed' },
      });
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { cancelled: 0 } });
      expect(await snapshot(t, [a.bizEntityId, b.bizEntityId], [a.user.id, b.user.id])).toEqual(before);
    });
  });

  describe('a superadmin works across businesses', () => {
    it.each(byName(ADMIN_ROUTES))('%s works on any business\'s bookings with an empty biz claim', async (_name, route) => {
      const b = await business(t);
      const superadmin = await caller({ roles: ['superadmin'], biz: [] });
      route.ok(await route.call(t, superadmin.token, b), b);
    });

    it('records the superadmin as the actor of its writes in another business', async () => {
      const b = await business(t);
      const superadmin = await caller({ roles: ['superadmin'] });
      const res = await t.api.post(`/v1/admin/bookings/${b.held}/cancel`, { token: superadmin.token, body: { reason: 'ops' } });
      expect(res.status).toBe(200);
      const events = await t.db.query(
        `SELECT actor_sub, from_status, to_status, reason FROM scheduler.booking_events WHERE booking_id = $1 ORDER BY id`,
        [b.held],
      );
      expect(events).toEqual([
        { actor_sub: b.user.id, from_status: null, to_status: 'held', reason: null },
        { actor_sub: superadmin.sub, from_status: 'held', to_status: 'cancelled', reason: 'ops' },
      ]);
    });
  });
});
