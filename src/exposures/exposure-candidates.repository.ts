import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';
import { Bookability, bookabilityColumns, bookableCondition } from '../bookings/bookability';
import { LIVE_BOOKING, LIVE_SEATS_OF_SLOT } from '../common/database/live-bookings';
import type { Candidate, PersonLoad } from './exposure-ranking';

/** A slot's checks for one user, with where and when it is. */
export interface SlotBookability extends Bookability {
  slotId: string;
  bizEntityId: string;
  locationId: string;
  personId: string;
  startsAt: Date;
}

/** The reads an offer is ranked from: bookable candidates, the people's loads, and each slot's checks. */
@Injectable()
export class ExposureCandidatesRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private query<T>(sql: string, params: unknown[]): Promise<T> {
    return this.txHost.tx.query(sql, params) as Promise<T>;
  }

  /**
   * Slots of the location (or one person) starting in [from, to) that the user's party can
   * book: at most `perPerson` per person, chosen by a keyed hash so the sample is spread over
   * the window and stable for the user. Reads the window only, through (location_id, starts_at).
   * `crowd` is the seats other users' live offers of the slot are for.
   */
  candidates(filter: {
    userId: string;
    seats: number;
    locationId: string;
    personId: string | null;
    from: Date;
    to: Date;
    perPerson: number;
  }): Promise<Candidate[]> {
    return this.query<Candidate[]>(
      `WITH bookable AS (
         SELECT s.id, s.person_id, s.starts_at, s.local_start, s.capacity - ${LIVE_SEATS_OF_SLOT} AS remaining
           FROM scheduler.slot_instances s
           JOIN scheduler.locations l ON l.id = s.location_id
           JOIN scheduler.people p ON p.id = s.person_id
          WHERE s.location_id = $2 AND ($3::uuid IS NULL OR s.person_id = $3)
            AND s.starts_at >= $4 AND s.starts_at < $5
            AND ${bookableCondition({ user: '$1::uuid', seats: '$7::int' })}),
       sampled AS (
         SELECT *, row_number() OVER (PARTITION BY person_id ORDER BY md5($1::text || id::text)) AS rank
           FROM bookable)
       SELECT c.id AS "slotId", c.person_id AS "personId",
              (extract(epoch FROM c.starts_at) * 1000)::bigint AS "startsAt",
              c.local_start AS "localStart", c.remaining::int AS remaining,
              (SELECT COALESCE(sum(e.seats), 0) FROM scheduler.exposure_slots es JOIN scheduler.exposures e ON e.id = es.exposure_id
                WHERE es.slot_id = c.id AND e.expires_at > now() AND e.user_id <> $1)::int AS crowd
         FROM sampled c WHERE c.rank <= $6
        ORDER BY c.starts_at, c.id`,
      [filter.userId, filter.locationId, filter.personId, filter.from, filter.to, filter.perPerson, filter.seats],
    ).then((rows) => rows.map((row) => ({ ...row, startsAt: Number(row.startsAt) })));
  }

  /** The start of the first slots the party can book at or after `after` (for extending a thin window). */
  async nextBookableStarts(filter: {
    userId: string;
    seats: number;
    locationId: string;
    personId: string | null;
    after: Date;
    limit: number;
  }): Promise<Date[]> {
    const rows = await this.query<{ startsAt: Date }[]>(
      `SELECT s.starts_at AS "startsAt"
         FROM scheduler.slot_instances s
         JOIN scheduler.locations l ON l.id = s.location_id
         JOIN scheduler.people p ON p.id = s.person_id
        WHERE s.location_id = $2 AND ($3::uuid IS NULL OR s.person_id = $3) AND s.starts_at >= $4
          AND ${bookableCondition({ user: '$1::uuid', seats: '$6::int' })}
        ORDER BY s.starts_at LIMIT $5`,
      [filter.userId, filter.locationId, filter.personId, filter.after, filter.limit, filter.seats],
    );
    return rows.map((row) => row.startsAt);
  }

  /**
   * Weight, open capacity in [from, to) and seats of live bookings over the horizon, per active
   * person. Open capacity is the capacity of the open, not-started slots, booked seats included:
   * the booked share is compared with it, so subtracting bookings here as well would count each
   * booking twice and pull well-booked people below their capacity × weight share.
   */
  async personLoads(filter: { locationId: string; personId: string | null; from: Date; to: Date }): Promise<Map<string, PersonLoad>> {
    const rows = await this.query<({ personId: string } & PersonLoad)[]>(
      `SELECT p.id AS "personId", p.weight,
              COALESCE((SELECT sum(s.capacity) FROM scheduler.slot_instances s
                         WHERE s.person_id = p.id AND s.status = 'open' AND s.starts_at >= $3 AND s.starts_at < $4
                           AND s.starts_at > now()), 0)::int AS "openCapacity",
              (SELECT COALESCE(sum(b.seats), 0) FROM scheduler.bookings b JOIN scheduler.slot_instances s ON s.id = b.slot_id
                WHERE b.person_id = p.id AND s.starts_at > now() AND ${LIVE_BOOKING})::int AS "bookedSeats"
         FROM scheduler.people p
        WHERE p.location_id = $1 AND p.active AND ($2::uuid IS NULL OR p.id = $2)`,
      [filter.locationId, filter.personId, filter.from, filter.to],
    );
    return new Map(rows.map(({ personId, ...load }) => [personId, load]));
  }

  /** Each check behind "bookable", for the given slots and the user's party. */
  bookability(party: { userId: string; seats: number }, slotIds: readonly string[]): Promise<SlotBookability[]> {
    return this.query<SlotBookability[]>(
      `SELECT s.id AS "slotId", s.biz_entity_id AS "bizEntityId", s.location_id AS "locationId",
              s.person_id AS "personId", s.starts_at AS "startsAt", ${bookabilityColumns({ user: '$1::uuid', seats: '$3::int' })}
         FROM scheduler.slot_instances s
         JOIN scheduler.locations l ON l.id = s.location_id
         JOIN scheduler.people p ON p.id = s.person_id
        WHERE s.id = ANY($2::uuid[])`,
      [party.userId, slotIds, party.seats],
    );
  }

}
