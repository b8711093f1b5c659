import type { DataSource } from 'typeorm';
import type { LocationJson } from '../../factories/catalogue';
import type { TestApp } from '../../utils/test-app';

export const ADMIN_LOCATIONS = '/v1/admin/locations';
export const PUBLIC_LOCATIONS = '/v1/locations';

/** A well-formed UUID that no row will ever have (version 4, random part all zero). */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** API.md §Resources → Location: the policy a location gets when its creator says nothing. */
export const DEFAULT_POLICY = Object.freeze({
  holdTtlSeconds: 300,
  maxActiveHoldsPerUser: 2,
  minNoticeMinutes: 0,
  bookingHorizonDays: 90,
  cancelCutoffMinutes: 0,
  requireExposure: true,
  maxSeatsPerBooking: null,
  requireCancellationReason: false,
  exposure: Object.freeze({ personMin: 1, personMax: 3, locationMin: 3, locationMax: 5 }),
});

export interface LocationRow {
  id: string;
  biz_entity_id: string;
  name: string;
  timezone: string;
  active: boolean;
  hold_ttl_seconds: number;
  max_active_holds_per_user: number;
  min_notice_minutes: number;
  booking_horizon_days: number;
  cancel_cutoff_minutes: number;
  require_exposure: boolean;
  max_seats_per_booking: number | null;
  require_cancellation_reason: boolean;
  exposure_person_min: number;
  exposure_person_max: number;
  exposure_location_min: number;
  exposure_location_max: number;
  metadata: Record<string, string>;
  created_at: Date;
  updated_at: Date;
}

export async function readLocationRow(db: DataSource, id: string): Promise<LocationRow | undefined> {
  const rows = (await db.query('SELECT * FROM scheduler.locations WHERE id = $1', [id])) as LocationRow[];
  return rows[0];
}

/** The row as the API shows it, for comparing persisted state with a response. */
export function rowAsLocation(row: LocationRow): LocationJson {
  return {
    id: row.id,
    bizEntityId: row.biz_entity_id,
    name: row.name,
    timezone: row.timezone,
    active: row.active,
    policy: {
      holdTtlSeconds: row.hold_ttl_seconds,
      maxActiveHoldsPerUser: row.max_active_holds_per_user,
      minNoticeMinutes: row.min_notice_minutes,
      bookingHorizonDays: row.booking_horizon_days,
      cancelCutoffMinutes: row.cancel_cutoff_minutes,
      requireExposure: row.require_exposure,
      maxSeatsPerBooking: row.max_seats_per_booking,
      requireCancellationReason: row.require_cancellation_reason,
      exposure: {
        personMin: row.exposure_person_min,
        personMax: row.exposure_person_max,
        locationMin: row.exposure_location_min,
        locationMax: row.exposure_location_max,
      },
    },
    metadata: row.metadata,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The public view of a location: the admin view without the operators' metadata. */
export function publicLocation(location: LocationJson): Omit<LocationJson, 'metadata'> {
  const { metadata: _metadata, ...visible } = location;
  return visible;
}

/**
 * The order lists promise: by creation instant (milliseconds), ties by id. Sequential creates
 * normally differ in instant, so this is creation order; sorting keeps a same-millisecond pair
 * from making a test flaky.
 */
export function inListOrder<T extends { id: string; createdAt: string }>(locations: T[]): T[] {
  return [...locations].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Soft-deletes a location through the API. */
export async function deleteLocation(t: TestApp, token: string, id: string): Promise<void> {
  const res = await t.api.delete(`${ADMIN_LOCATIONS}/${id}`, { token });
  if (res.status !== 204) throw new Error(`deleting a location answered ${res.status}: ${res.text}`);
}

/** Moves a row's timestamps into the past, so a later write visibly changes `updatedAt`. */
export async function backdate(db: DataSource, id: string): Promise<void> {
  await db.query(
    `UPDATE scheduler.locations
        SET created_at = created_at - interval '1 hour', updated_at = updated_at - interval '1 hour'
      WHERE id = $1`,
    [id],
  );
}

/** Follows `nextCursor` until it is null; returns every page. */
export async function collectPages(
  t: TestApp,
  token: string,
  path: string,
  query: Record<string, string>,
): Promise<{ data: LocationJson[]; nextCursor: string | null }[]> {
  const pages: { data: LocationJson[]; nextCursor: string | null }[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) });
    const res = await t.api.get(`${path}?${params.toString()}`, { token });
    if (res.status !== 200) throw new Error(`listing answered ${res.status}: ${res.text}`);
    const page = res.body as { data: LocationJson[]; nextCursor: string | null };
    pages.push(page);
    cursor = page.nextCursor;
    if (pages.length > 1000) throw new Error('pagination does not terminate');
  } while (cursor !== null);
  return pages;
}
