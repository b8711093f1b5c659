import { randomUUID } from 'node:crypto';
import type { TestApp } from '../utils/test-app';
import { createLocation, createPerson } from './catalogue';
import { createBusiness, createUser } from './factories';
import { caller, Caller, token } from './tokens';

export interface BookingFixture {
  bizEntityId: string;
  admin: string;
  locationId: string;
  personId: string;
  /** Open future slots of the person, in start order. */
  slotIds: string[];
  /** A user known to public.auth_user, with a token. */
  user: { id: string; token: string };
}

/**
 * A location with one person whose slots start tomorrow or later (so min-notice, horizon and
 * "already started" rules do not interfere unless a test sets them up).
 */
export async function bookingFixture(
  t: TestApp,
  options: { slots?: number; capacity?: number; policy?: Record<string, unknown>; timezone?: string } = {},
): Promise<BookingFixture> {
  const bizEntityId = await createBusiness(t.db);
  const admin = await token({ roles: ['admin'], biz: [bizEntityId] });
  // These tests are about bookings, not offers: holds need no exposure unless a test says so.
  const location = await createLocation(t, admin, bizEntityId, { timezone: options.timezone ?? 'UTC', policy: { requireExposure: false, ...options.policy } });
  const person = await createPerson(t, admin, { locationId: location.id, name: 'Nour' });
  const slotIds = await insertSlots(t, {
    bizEntityId,
    locationId: location.id,
    personId: person.id,
    count: options.slots ?? 3,
    capacity: options.capacity ?? 1,
  });
  const user = await newUser(t);
  return { bizEntityId, admin, locationId: location.id, personId: person.id, slotIds, user };
}

export async function newUser(t: TestApp): Promise<{ id: string; token: string }> {
  const id = await createUser(t.db);
  return { id, token: await token({ sub: id }) };
}

/** Slots an hour apart, the first starting `startInMinutes` from now (default: a day ahead). */
export async function insertSlots(
  t: TestApp,
  at: { bizEntityId: string; locationId: string; personId: string; count: number; capacity: number; startInMinutes?: number },
): Promise<string[]> {
  const rows = (await t.db.query(
    `INSERT INTO scheduler.slot_instances
       (biz_entity_id, location_id, person_id, starts_at, ends_at, buffered_starts_at, buffered_ends_at, local_start, timezone, capacity)
     SELECT $1, $2, $3, t.starts_at, t.starts_at + interval '30 minutes', t.starts_at, t.starts_at + interval '30 minutes', 'n/a', l.timezone, $4
       FROM generate_series(0, $6 - 1) AS n
            CROSS JOIN LATERAL (SELECT date_trunc('minute', now()) + make_interval(mins => $5 + n * 60) AS starts_at) t,
            scheduler.locations l WHERE l.id = $2
     RETURNING id, starts_at`,
    [at.bizEntityId, at.locationId, at.personId, at.capacity, at.startInMinutes ?? 24 * 60, at.count],
  )) as { id: string; starts_at: Date }[];
  return rows.sort((a, b) => a.starts_at.getTime() - b.starts_at.getTime()).map((row) => row.id);
}

export const key = (): Record<string, string> => ({ 'Idempotency-Key': randomUUID() });

/**
 * One business, seen from every role, with a booking in each state the booking routes act on:
 *  - `held`: the fixture user's live hold on `slotIds[0]`;
 *  - `started`: the fixture user's confirmed booking on a slot that began 90 minutes ago
 *    (the only kind complete / no-show accept);
 *  - `slotIds[1]`, `slotIds[2]`: free future slots (admin create, reschedule targets).
 */
export interface Business extends BookingFixture {
  adminCaller: Caller;
  viewer: Caller;
  held: string;
  startedSlotId: string;
  started: string;
}

export async function business(t: TestApp, options: Parameters<typeof bookingFixture>[1] = {}): Promise<Business> {
  const f = await bookingFixture(t, options);
  const adminCaller = await caller({ roles: ['admin'], biz: [f.bizEntityId] });
  const viewer = await caller({ roles: ['viewer'], biz: [f.bizEntityId] });
  const held = await t.api.post('/v1/bookings', { token: f.user.token, body: { slotId: f.slotIds[0] }, headers: key() });
  if (held.status !== 201) throw new Error(`fixture hold failed: ${held.status} ${held.text}`);
  const [startedSlotId] = await insertSlots(t, {
    bizEntityId: f.bizEntityId,
    locationId: f.locationId,
    personId: f.personId,
    count: 1,
    capacity: 1,
    startInMinutes: -90,
  });
  const started = await insertConfirmedBooking(t, f, startedSlotId, f.user.id);
  return { ...f, adminCaller, viewer, held: held.body.id as string, startedSlotId, started };
}

/** The API refuses bookings on started slots, so a booking that has begun is written directly. */
export async function insertConfirmedBooking(t: TestApp, f: BookingFixture, slotId: string, userId: string): Promise<string> {
  const [row] = (await t.db.query(
    `INSERT INTO scheduler.bookings (biz_entity_id, location_id, person_id, slot_id, user_id, status, confirmed_at)
     VALUES ($1, $2, $3, $4, $5, 'confirmed', date_trunc('milliseconds', now()) - interval '1 day')
     RETURNING id`,
    [f.bizEntityId, f.locationId, f.personId, slotId, userId],
  )) as { id: string }[];
  await t.db.query(
    `INSERT INTO scheduler.booking_events (booking_id, biz_entity_id, actor_sub, actor_kind, from_status, to_status)
     VALUES ($1, $2, $3, 'user', NULL, 'confirmed')`,
    [row.id, f.bizEntityId, userId],
  );
  return row.id;
}
