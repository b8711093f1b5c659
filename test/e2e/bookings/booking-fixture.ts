import { randomUUID } from 'node:crypto';
import { createBusiness, createUser, locationBody } from '../../factories/factories';
import { TestApp, token } from '../../utils/test-app';

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
  const location = await t.api.post('/v1/admin/locations', {
    token: admin,
    // These tests are about bookings, not offers: holds need no exposure unless a test says so.
    body: locationBody(bizEntityId, { timezone: options.timezone ?? 'UTC', policy: { requireExposure: false, ...options.policy } }),
  });
  const person = await t.api.post('/v1/admin/people', { token: admin, body: { locationId: location.body.id, name: 'Nour' } });
  const slotIds = await insertSlots(t, {
    bizEntityId,
    locationId: location.body.id,
    personId: person.body.id,
    count: options.slots ?? 3,
    capacity: options.capacity ?? 1,
  });
  const user = await newUser(t);
  return { bizEntityId, admin, locationId: location.body.id, personId: person.body.id, slotIds, user };
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
