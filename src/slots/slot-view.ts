import { LIVE_SEATS_OF_SLOT } from '../common/database/live-bookings';
import type { SlotStatus } from './slot-status';

/** A slot as the API shows it: the row (with the zone of its local start) and the seats live bookings take. */
export interface SlotView {
  id: string;
  bizEntityId: string;
  locationId: string;
  personId: string;
  /** The person's name, so a screen can label an offered slot without another call. */
  personName: string;
  startsAt: Date;
  endsAt: Date;
  localStart: string;
  timezone: string;
  capacity: number;
  booked: number;
  status: SlotStatus;
  /** Raised by every UPDATE of the row (a trigger): the ETag. Bookings do not change it. */
  version: number;
}

/** The view as SELECT columns over slot `s`. */
export const SLOT_VIEW = `
  s.id, s.biz_entity_id AS "bizEntityId", s.location_id AS "locationId", s.person_id AS "personId",
  (SELECT p.name FROM scheduler.people p WHERE p.id = s.person_id) AS "personName",
  s.starts_at AS "startsAt", s.ends_at AS "endsAt", s.local_start AS "localStart", s.timezone,
  s.capacity, ${LIVE_SEATS_OF_SLOT}::int AS booked,
  s.status, s.version`;

/**
 * The same view as JSON members over slot `s` (the person's name included), for reads of other
 * modules that carry slots along with their own rows (an offer's slots).
 */
export const SLOT_VIEW_JSON = `json_build_object(
  'id', s.id, 'bizEntityId', s.biz_entity_id, 'locationId', s.location_id, 'personId', s.person_id,
  'personName', (SELECT p.name FROM scheduler.people p WHERE p.id = s.person_id),
  'startsAt', s.starts_at, 'endsAt', s.ends_at, 'localStart', s.local_start, 'timezone', s.timezone,
  'capacity', s.capacity, 'booked', ${LIVE_SEATS_OF_SLOT},
  'status', s.status, 'version', s.version)`;
