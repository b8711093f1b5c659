import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Injectable } from '@nestjs/common';
import { Bookability, bookabilityColumns, bookableCondition, BOOKING_DEPENDENT_CHECKS, ROW_CHECKS } from '../bookings/bookability';
import { LIVE_BOOKING, LIVE_SEATS_OF_SLOT } from '../common/database/live-bookings';
import { epochMs } from '../common/database/sql';
import type { Candidate, PersonLoad } from './exposure-ranking';

/** A slot's checks for one user, with where and when it is. */
export interface SlotBookability extends Bookability {
  slotId: string;
  bizEntityId: string;
  locationId: string;
  personId: string;
  startsAt: Date;
}

/** Which slots an offer may be ranked from. */
export interface CandidateFilter {
  userId: string;
  seats: number;
  locationId: string;
  personId: string | null;
  from: Date;
  to: Date;
  perPerson: number;
}

/** A person's sampled candidates, how full the pool they were drawn from was (counted up to its size), and their load. */
interface PersonSample {
  personId: string;
  pooled: number;
  active: boolean;
  load: PersonLoad;
  candidates: Candidate[];
}

/** What an offer is ranked from: the sampled candidates and each active person's load. */
export interface Draw {
  candidates: Candidate[];
  loads: Map<string, PersonLoad>;
}

/**
 * Seats of other users' live offers showing candidate `c`: a range of the slot's live offered
 * rows, which carry their offer's user, party and expiry (exposure_slots_slot_live_idx), so
 * expired offers kept for their retention are not read, and no plan can scan the offers.
 */
const CROWD_OF_CANDIDATE = `(SELECT COALESCE(sum(es.seats), 0) FROM scheduler.exposure_slots es
                              WHERE es.slot_id = c.id AND es.expires_at > now() AND es.user_id <> $1::uuid)`;

/** A candidate as the draw returns it: arrays, not objects, so the database writes no key 600 times and Node parses half the text. */
type CandidateTuple = [slotId: string, startsAt: number, localStart: string, remaining: number, crowd: number];

/** How many rows per candidate wanted the booking lookups see first: room for slots taken meanwhile. */
const POOL_FACTOR = 2;

/** The party of the draw's statement: the user is $1, the seats $7. */
const DRAW_PARTY = { user: '$1::uuid', seats: '$7::int' };
/** A person works at one location for life, and their slots are of that location. */
const OF_PERSON = 's.person_id = p.id AND s.starts_at >= $4 AND s.starts_at < $5';
/** The checks over the slot, its location and its person, for the draw's party. */
const DRAW_ROW_CHECKS = bookableCondition(DRAW_PARTY, ROW_CHECKS);

/**
 * The draw's statement (see `sample`): $1 user, $2 location, $3 people (null: all), $4..$5 the
 * window, $6 per person, $7 seats, $8 the pool (null: every row). Built once: the same text
 * object every call, so naming it as a prepared statement hashes nothing new.
 */
const SAMPLE = `SELECT p.id AS "personId", k.pooled, p.active, p.weight, w.open_capacity AS "openCapacity",
              (SELECT COALESCE(sum(b.seats), 0) FROM scheduler.bookings b JOIN scheduler.slot_instances s ON s.id = b.slot_id
                WHERE b.person_id = p.id AND s.starts_at > now() AND ${LIVE_BOOKING})::int AS "bookedSeats",
              COALESCE(json_agg(json_build_array(c.id, ${epochMs('c.starts_at')}, c.local_start, c.remaining, ${CROWD_OF_CANDIDATE}))
                FILTER (WHERE c.id IS NOT NULL), '[]') AS candidates
         FROM scheduler.people p
         JOIN scheduler.locations l ON l.id = p.location_id
        CROSS JOIN LATERAL (SELECT COALESCE(sum(s.capacity), 0)::int AS open_capacity
                              FROM scheduler.slot_instances s WHERE ${OF_PERSON} AND s.starts_at > now() AND s.status = 'open') w
        CROSS JOIN LATERAL (SELECT count(*)::int AS pooled
                              FROM (SELECT FROM scheduler.slot_instances s WHERE ${OF_PERSON} AND ${DRAW_ROW_CHECKS} LIMIT $8) pool) k
         LEFT JOIN LATERAL (
          SELECT s.id, s.starts_at, s.local_start, (s.capacity - ${LIVE_SEATS_OF_SLOT})::int AS remaining
            FROM (SELECT s.id, s.starts_at, s.local_start, s.capacity, uuid_hash_extended(s.id, hashtextextended($1::text, 0)) AS sample_key
                    FROM scheduler.slot_instances s
                   WHERE ${OF_PERSON} AND ${DRAW_ROW_CHECKS}
                   ORDER BY sample_key LIMIT $8) s
           WHERE ${bookableCondition(DRAW_PARTY, BOOKING_DEPENDENT_CHECKS)}
           ORDER BY s.sample_key LIMIT $6) c ON TRUE
        WHERE p.location_id = $2 AND ($3::uuid[] IS NULL OR p.id = ANY($3::uuid[]))
        GROUP BY p.id, w.open_capacity, k.pooled`;

/** The reads an offer is ranked from: bookable candidates with the people's loads, and each slot's checks. */
@Injectable()
export class ExposureCandidatesRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  private query<T>(sql: string, params: unknown[]): Promise<T> {
    return this.txHost.tx.query(sql, params) as Promise<T>;
  }

  /**
   * Slots of the location (or one person) starting in [from, to) that the user's party can
   * book: at most `perPerson` per person, the first by a hash of the slot keyed by the user, so
   * the sample is spread over the window and stable for the user. `crowd` is the seats other
   * users' live offers of the slot are for. With them, per active person, the load the ranking
   * weighs: weight, open capacity in the window, seats of live bookings over the horizon.
   *
   * Each person's slots are read through (person_id, starts_at) and ordered by the keyed hash;
   * the checks that look up bookings run only on the first `POOL_FACTOR × perPerson` rows that
   * pass the row checks. A person left short although that pool was full (many of their slots
   * taken) is asked again over all their rows, so the sample is the same as over every
   * bookable slot.
   */
  async draw(filter: CandidateFilter): Promise<Draw> {
    const pool = filter.perPerson * POOL_FACTOR;
    const first = await this.sample(filter, filter.personId === null ? null : [filter.personId], pool);
    const short = first.filter((person) => person.candidates.length < filter.perPerson && person.pooled >= pool).map((person) => person.personId);
    const redrawn = short.length === 0 ? [] : await this.sample(filter, short, null);
    const candidates = [...first.filter((person) => !short.includes(person.personId)), ...redrawn]
      .flatMap((person) => person.candidates)
      .sort((a, b) => a.startsAt - b.startsAt || (a.slotId < b.slotId ? -1 : a.slotId > b.slotId ? 1 : 0));
    const loads = new Map(first.filter((person) => person.active).map((person) => [person.personId, person.load]));
    return { candidates, loads };
  }

  /** The draw a stored offer was ranked from, made again over its window for its user and party. */
  redraw(
    offer: { userId: string; seats: number; locationId: string; windowFrom: Date; windowTo: Date },
    personId: string | null,
    perPerson: number,
  ): Promise<Draw> {
    const { userId, seats, locationId, windowFrom: from, windowTo: to } = offer;
    return this.draw({ userId, seats, locationId, personId, from, to, perPerson });
  }

  /**
   * Per person of `people` (all of the location's when null): the sample, how many of their
   * window's rows pass the row checks up to `pool` (`pooled`: all that matters is whether the
   * pool was full), and their load. The booking lookups see the first `pool` rows that pass the
   * row checks (all of them when `pool` is null). Each pass keeps its time conditions in the
   * index range, so none computes the notice or horizon bound per row.
   *
   * Open capacity is the capacity of the open, not-started slots, booked seats included: the
   * booked share is compared with it, so subtracting bookings here as well would count each
   * booking twice and pull well-booked people below their capacity × weight share.
   */
  private async sample(filter: CandidateFilter, people: readonly string[] | null, pool: number | null): Promise<PersonSample[]> {
    const rows = await this.query<
      {
        personId: string;
        pooled: number;
        active: boolean;
        weight: number;
        openCapacity: number;
        bookedSeats: number;
        candidates: CandidateTuple[];
      }[]
    >(
      SAMPLE,
      [filter.userId, filter.locationId, people, filter.from, filter.to, filter.perPerson, filter.seats, pool],
    );
    return rows.map(({ personId, pooled, active, weight, openCapacity, bookedSeats, candidates }) => ({
      personId,
      pooled,
      active,
      load: { weight, openCapacity, bookedSeats },
      candidates: candidates.map(([slotId, startsAt, localStart, remaining, crowd]) => ({ slotId, personId, startsAt, localStart, remaining, crowd })),
    }));
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
