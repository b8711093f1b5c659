import { hash } from 'node:crypto';

/** A bookable slot the ranking may offer, with what the scoring needs to know about it. */
export interface Candidate {
  slotId: string;
  personId: string;
  startsAt: number;
  /** Wall-clock start in the location zone, `YYYY-MM-DDTHH:mm`. */
  localStart: string;
  /** Seats left. */
  remaining: number;
  /** Seats other users' live exposures showing this slot are for (each offer counts its party). */
  crowd: number;
}

/** Per person: open capacity (seats) in the window, weight, and seats of live bookings over the horizon. */
export interface PersonLoad {
  weight: number;
  openCapacity: number;
  bookedSeats: number;
}

export interface ScoreComponents {
  /** Target share (open capacity × weight) minus share of booked seats: positive = under-booked. */
  staff: number;
  /** Penalty for a slot many other users are being shown (their seats per remaining seat). */
  crowd: number;
  /** Penalty for repeating a person or a time of day already in this offer. */
  diversity: number;
  /** Keyed hash of (user, scope, window, slot): breaks ties, the same way every time. */
  tiebreak: number;
  total: number;
}

export interface RankedSlot {
  candidate: Candidate;
  components: ScoreComponents;
}

/**
 * `staff` multiplies a difference of shares, so 1 percentage point of under-booking scores 0.1:
 * a person 3 points behind outweighs one repeat of them in the offer (0.3), and bookings can
 * follow capacity × weight even for a person whose share is more than one place in the offer
 * (docs/fairness.md has the simulation behind these values).
 */
export const WEIGHTS = { staff: 10, crowd: 0.5, samePerson: 0.3, sameTimeOfDay: 0.2, tiebreak: 0.05 } as const;

/** Hours of the local day grouped in blocks: 00–03, 03–06, … 21–24. */
export function timeOfDayBucket(localStart: string): number {
  return Math.floor(Number(localStart.slice(11, 13)) / 3);
}

/** A stable number in [0, 1) from the exposure's identity and the slot. */
export function tiebreak(identity: string, slotId: string): number {
  return hash('sha256', `${identity}|${slotId}`, 'buffer').readUInt32BE(0) / 2 ** 32;
}

/**
 * Staff fairness: each person's share of open capacity × weight is the share of booked seats
 * they should get; the gap to their share of seats of live bookings says how much to favour them.
 */
export function staffScores(loads: ReadonlyMap<string, PersonLoad>): Map<string, number> {
  const totalTarget = [...loads.values()].reduce((sum, load) => sum + load.weight * load.openCapacity, 0);
  const totalBooked = [...loads.values()].reduce((sum, load) => sum + load.bookedSeats, 0);
  const scores = new Map<string, number>();
  for (const [personId, load] of loads) {
    const target = totalTarget > 0 ? (load.weight * load.openCapacity) / totalTarget : 0;
    const booked = totalBooked > 0 ? load.bookedSeats / totalBooked : 0;
    scores.set(personId, target - booked);
  }
  return scores;
}

/**
 * An offer spans at least this many people whenever that many have candidates (DOMAIN.md
 * §Exposure: "covers distinct people … where inventory allows"). The diversity penalty alone
 * cannot promise it: a person far behind their share outscores any number of repeats.
 */
export const MIN_PEOPLE_PER_OFFER = 2;

/**
 * Picks up to `count` candidates greedily: each round takes the best total score, where the
 * diversity penalty grows with the people and times of day already picked. When only as many
 * picks are left as people are still missing from the offer (MIN_PEOPLE_PER_OFFER), a round
 * takes the best slot of a person not yet in it. Pure and deterministic: the same inputs give
 * the same slots in the same order.
 */
export function rankCandidates(
  candidates: readonly Candidate[],
  loads: ReadonlyMap<string, PersonLoad>,
  identity: string,
  count: number,
  alreadyOffered: readonly Candidate[] = [],
): RankedSlot[] {
  const staff = staffScores(loads);
  const base = candidates.map((candidate) => {
    const components = {
      staff: WEIGHTS.staff * (staff.get(candidate.personId) ?? 0),
      crowd: -WEIGHTS.crowd * (candidate.crowd / Math.max(1, candidate.remaining)),
      tiebreak: WEIGHTS.tiebreak * tiebreak(identity, candidate.slotId),
    };
    return { candidate, bucket: timeOfDayBucket(candidate.localStart), ...components };
  });
  const people = new Map<string, number>();
  const buckets = new Map<number, number>();
  for (const offered of alreadyOffered) note(offered);
  const spread = Math.min(MIN_PEOPLE_PER_OFFER, new Set([...candidates, ...alreadyOffered].map((entry) => entry.personId)).size);
  const picked: RankedSlot[] = [];
  const remaining = [...base];
  while (picked.length < count && remaining.length > 0) {
    const missingPeople = spread - people.size;
    const mustAddPerson = missingPeople > 0 && count - picked.length <= missingPeople;
    let bestIndex = -1;
    let best: ScoreComponents | undefined;
    for (const [index, entry] of remaining.entries()) {
      if (mustAddPerson && people.has(entry.candidate.personId)) continue;
      const diversity =
        -WEIGHTS.samePerson * (people.get(entry.candidate.personId) ?? 0) -
        WEIGHTS.sameTimeOfDay * (buckets.get(entry.bucket) ?? 0);
      const total = entry.staff + entry.crowd + diversity + entry.tiebreak;
      if (!best || total > best.total || (total === best.total && entry.candidate.slotId < remaining[bestIndex].candidate.slotId)) {
        best = { staff: entry.staff, crowd: entry.crowd, diversity, tiebreak: entry.tiebreak, total };
        bestIndex = index;
      }
    }
    const [chosen] = remaining.splice(bestIndex, 1);
    picked.push({ candidate: chosen.candidate, components: best! });
    note(chosen.candidate);
  }
  return picked;

  function note(candidate: Candidate): void {
    people.set(candidate.personId, (people.get(candidate.personId) ?? 0) + 1);
    const bucket = timeOfDayBucket(candidate.localStart);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
  }
}
