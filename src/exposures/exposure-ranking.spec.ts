import fc from 'fast-check';
import { Candidate, PersonLoad, rankCandidates, RankedSlot, staffScores, tiebreak, timeOfDayBucket, WEIGHTS } from './exposure-ranking';

const DAY = 86_400_000;
const BASE = Date.UTC(2030, 0, 7); // a Monday, far from any DST edge of the tests' concern

/** A slot id that sorts by its number (for readable fixtures); all valid UUIDs. */
function slotId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function candidate(n: number, personId: string, day: number, hour: number, extra: Partial<Candidate> = {}): Candidate {
  const startsAt = BASE + day * DAY + hour * 3_600_000;
  const local = new Date(startsAt).toISOString().slice(0, 16);
  return { slotId: slotId(n), personId, startsAt, localStart: local, remaining: 1, crowd: 0, ...extra };
}

function equalLoads(people: readonly string[], load: Partial<PersonLoad> = {}): Map<string, PersonLoad> {
  return new Map(people.map((person) => [person, { weight: 1, openCapacity: 10, bookedSeats: 0, ...load }]));
}

/** Every person has a slot every hour 09–16 on each of `days` days. */
function grid(people: readonly string[], days: number): Candidate[] {
  const out: Candidate[] = [];
  let n = 1;
  for (let day = 0; day < days; day++) {
    for (const person of people) {
      for (let hour = 9; hour < 17; hour++) out.push(candidate(n++, person, day, hour));
    }
  }
  return out;
}

/** A deterministic Fisher–Yates with a small LCG, so shuffles are reproducible. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed >>> 0 || 1;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

const ids = (ranked: readonly RankedSlot[]): string[] => ranked.map((entry) => entry.candidate.slotId);
const PEOPLE = ['person-a', 'person-b', 'person-c'] as const;
const IDENTITIES = Array.from({ length: 25 }, (_, i) => `user-${i}|location|loc-1||`);

describe('rankCandidates: determinism', () => {
  it('gives the same slots in the same order for the same inputs', () => {
    const candidates = grid(PEOPLE, 3);
    const loads = equalLoads(PEOPLE);
    const first = rankCandidates(candidates, loads, IDENTITIES[0], 5);
    const second = rankCandidates(candidates, loads, IDENTITIES[0], 5);
    expect(first).toHaveLength(5);
    expect(second).toEqual(first);
  });

  it.each([1, 2, 3, 17, 99])('does not depend on the order of the candidates (shuffle seed %i)', (seed) => {
    const candidates = grid(PEOPLE, 3).map((entry, i) => ({ ...entry, crowd: i % 4, remaining: 1 + (i % 3) }));
    const loads = new Map<string, PersonLoad>([
      ['person-a', { weight: 1, openCapacity: 24, bookedSeats: 3 }],
      ['person-b', { weight: 2, openCapacity: 20, bookedSeats: 1 }],
      ['person-c', { weight: 1, openCapacity: 12, bookedSeats: 0 }],
    ]);
    const reference = rankCandidates(candidates, loads, IDENTITIES[3], 8);
    const reordered = rankCandidates(shuffled(candidates, seed), loads, IDENTITIES[3], 8);
    expect(ids(reordered)).toEqual(ids(reference));
    expect(reordered).toEqual(reference);
  });

  it('does not depend on the order of the person loads', () => {
    const candidates = grid(PEOPLE, 2);
    const entries: [string, PersonLoad][] = [
      ['person-a', { weight: 1, openCapacity: 16, bookedSeats: 2 }],
      ['person-b', { weight: 3, openCapacity: 16, bookedSeats: 5 }],
      ['person-c', { weight: 1, openCapacity: 8, bookedSeats: 0 }],
    ];
    const forward = rankCandidates(candidates, new Map(entries), IDENTITIES[1], 5);
    const backward = rankCandidates(candidates, new Map([...entries].reverse()), IDENTITIES[1], 5);
    expect(ids(backward)).toEqual(ids(forward));
  });

  it('does not read Math.random or the clock', () => {
    const random = jest.spyOn(Math, 'random');
    const now = jest.spyOn(Date, 'now');
    try {
      rankCandidates(grid(PEOPLE, 2), equalLoads(PEOPLE), IDENTITIES[0], 5);
      expect(random).not.toHaveBeenCalled();
      expect(now).not.toHaveBeenCalled();
    } finally {
      random.mockRestore();
      now.mockRestore();
    }
  });
});

describe('rankCandidates: count', () => {
  it.each([0, 1, 3, 5, 20])('offers exactly %i when there are more candidates than that', (count) => {
    const candidates = grid(PEOPLE, 1); // 24 candidates
    const ranked = rankCandidates(candidates, equalLoads(PEOPLE), IDENTITIES[0], count);
    expect(ranked).toHaveLength(count);
  });

  it('offers every candidate, once each, when there are fewer than count', () => {
    const candidates = [candidate(1, 'person-a', 0, 9), candidate(2, 'person-b', 0, 10)];
    const ranked = rankCandidates(candidates, equalLoads(PEOPLE), IDENTITIES[0], 5);
    expect(ids(ranked).sort()).toEqual([slotId(1), slotId(2)]);
  });

  it('offers nothing when there is nothing to offer', () => {
    expect(rankCandidates([], equalLoads(PEOPLE), IDENTITIES[0], 5)).toEqual([]);
  });
});

describe('rankCandidates: diversity', () => {
  it.each(IDENTITIES)('puts three distinct people in the first three picks (%s)', (identity) => {
    const ranked = rankCandidates(grid(PEOPLE, 5), equalLoads(PEOPLE), identity, 5);
    expect(new Set(ranked.slice(0, 3).map((entry) => entry.candidate.personId)).size).toBe(3);
  });

  it.each(IDENTITIES)('spreads the first three picks over distinct times of day (%s)', (identity) => {
    const ranked = rankCandidates(grid(PEOPLE, 5), equalLoads(PEOPLE), identity, 5);
    const buckets = ranked.slice(0, 3).map((entry) => timeOfDayBucket(entry.candidate.localStart));
    expect(new Set(buckets).size).toBe(3);
  });

  it('does not repeat a person while another one has an equivalent slot', () => {
    // Two slots of A, one of B, all in the same time-of-day block and otherwise equal.
    const candidates = [candidate(1, 'person-a', 0, 9), candidate(2, 'person-a', 1, 9), candidate(3, 'person-b', 2, 9)];
    for (const identity of IDENTITIES) {
      const ranked = rankCandidates(candidates, equalLoads(['person-a', 'person-b']), identity, 2);
      expect(new Set(ranked.map((entry) => entry.candidate.personId))).toEqual(new Set(['person-a', 'person-b']));
    }
  });

  it('charges the diversity penalty for slots already offered (replacement in place)', () => {
    const candidates = [candidate(1, 'person-a', 1, 9), candidate(2, 'person-b', 1, 13)];
    const alreadyOffered = [candidate(9, 'person-b', 0, 13)];
    for (const identity of IDENTITIES) {
      const [pick] = rankCandidates(candidates, equalLoads(['person-a', 'person-b']), identity, 1, alreadyOffered);
      expect(pick.candidate.personId).toBe('person-a');
      expect(Math.abs(pick.components.diversity)).toBe(0);
    }
    const [repeat] = rankCandidates([candidates[1]], equalLoads(['person-a', 'person-b']), IDENTITIES[0], 1, alreadyOffered);
    expect(repeat.components.diversity).toBeLessThan(0);
  });

  it('gives the first pick no diversity penalty and later repeats a growing one', () => {
    const candidates = Array.from({ length: 4 }, (_, i) => candidate(i + 1, 'person-a', i, 9));
    const ranked = rankCandidates(candidates, equalLoads(['person-a']), IDENTITIES[0], 4);
    const penalties = ranked.map((entry) => entry.components.diversity);
    expect(Math.abs(penalties[0])).toBe(0);
    for (let i = 1; i < penalties.length; i++) expect(penalties[i]).toBeLessThan(penalties[i - 1]);
  });
});

describe('rankCandidates: at least two people per offer', () => {
  // A is far behind its share, B and C far ahead: staff fairness alone would give A every place.
  const skewed = new Map<string, PersonLoad>([
    ['person-a', { weight: 1, openCapacity: 16, bookedSeats: 0 }],
    ['person-b', { weight: 1, openCapacity: 16, bookedSeats: 10 }],
    ['person-c', { weight: 1, openCapacity: 16, bookedSeats: 10 }],
  ]);

  it.each(IDENTITIES)('gives the last place to a second person when one person would take them all (%s)', (identity) => {
    const ranked = rankCandidates(grid(PEOPLE, 3), skewed, identity, 5);
    const people = ranked.map((entry) => entry.candidate.personId);
    expect(people.slice(0, 4)).toEqual(['person-a', 'person-a', 'person-a', 'person-a']);
    expect(people[4]).not.toBe('person-a');
  });

  it('keeps the components of the forced pick as scored, and totals still never increase', () => {
    const ranked = rankCandidates(grid(PEOPLE, 3), skewed, IDENTITIES[0], 5);
    for (const [i, { components }] of ranked.entries()) {
      expect(Math.abs(components.total - (components.staff + components.crowd + components.diversity + components.tiebreak))).toBeLessThan(1e-9);
      if (i > 0) expect(components.total).toBeLessThanOrEqual(ranked[i - 1].components.total);
    }
  });

  it('counts the slots already offered: a replacement next to four slots of A is not A\'s', () => {
    const offered = [candidate(101, 'person-a', 5, 9), candidate(102, 'person-a', 5, 12), candidate(103, 'person-a', 5, 15), candidate(104, 'person-a', 6, 9)];
    for (const identity of IDENTITIES) {
      const [pick] = rankCandidates(grid(PEOPLE, 3), skewed, identity, 1, offered);
      expect(pick.candidate.personId).not.toBe('person-a');
    }
  });

  it('offers one person only when no one else has a candidate', () => {
    const ranked = rankCandidates(grid(['person-a'], 2), skewed, IDENTITIES[0], 5);
    expect(new Set(ranked.map((entry) => entry.candidate.personId))).toEqual(new Set(['person-a']));
    expect(ranked).toHaveLength(5);
  });
});

describe('rankCandidates: staff fairness', () => {
  const loads = new Map<string, PersonLoad>([
    ['under', { weight: 1, openCapacity: 10, bookedSeats: 0 }],
    ['over', { weight: 1, openCapacity: 10, bookedSeats: 8 }],
  ]);

  it('scores an under-booked person above an over-booked one with the same capacity and weight', () => {
    const scores = staffScores(loads);
    expect(scores.get('under')!).toBeGreaterThan(0);
    expect(scores.get('over')!).toBeLessThan(0);
  });

  it.each(IDENTITIES)('offers the under-booked person\'s slot first, other things equal (%s)', (identity) => {
    const candidates = [candidate(1, 'over', 0, 10), candidate(2, 'under', 0, 10)];
    const ranked = rankCandidates(candidates, loads, identity, 2);
    expect(ranked.map((entry) => entry.candidate.personId)).toEqual(['under', 'over']);
    expect(ranked[0].components.staff).toBeGreaterThan(ranked[1].components.staff);
  });

  it('follows weight: with equal bookings, the heavier person is favoured', () => {
    const weighted = new Map<string, PersonLoad>([
      ['light', { weight: 1, openCapacity: 10, bookedSeats: 2 }],
      ['heavy', { weight: 3, openCapacity: 10, bookedSeats: 2 }],
    ]);
    for (const identity of IDENTITIES) {
      const [pick] = rankCandidates([candidate(1, 'light', 0, 10), candidate(2, 'heavy', 0, 10)], weighted, identity, 1);
      expect(pick.candidate.personId).toBe('heavy');
    }
  });

  it('treats everyone alike when nothing is booked and capacity is equal', () => {
    const scores = staffScores(equalLoads(PEOPLE));
    expect(new Set(scores.values()).size).toBe(1);
  });
});

describe('rankCandidates: crowding', () => {
  it.each(IDENTITIES)('offers a slot shown in many live exposures after an equivalent uncrowded one (%s)', (identity) => {
    const candidates = [candidate(1, 'person-a', 0, 10, { crowd: 6 }), candidate(2, 'person-a', 1, 10, { crowd: 0 })];
    const ranked = rankCandidates(candidates, equalLoads(['person-a']), identity, 2);
    expect(ids(ranked)).toEqual([slotId(2), slotId(1)]);
    expect(ranked[1].components.crowd).toBeLessThan(ranked[0].components.crowd);
  });

  it('weighs the crowd per remaining place', () => {
    const [small] = rankCandidates([candidate(1, 'person-a', 0, 10, { crowd: 4, remaining: 1 })], equalLoads(['person-a']), IDENTITIES[0], 1);
    const [large] = rankCandidates([candidate(1, 'person-a', 0, 10, { crowd: 4, remaining: 4 })], equalLoads(['person-a']), IDENTITIES[0], 1);
    expect(large.components.crowd).toBeGreaterThan(small.components.crowd);
    expect(large.components.crowd).toBeLessThan(0);
  });
});

describe('rankCandidates: tie-break', () => {
  /** Ten candidates equal in everything but their id. */
  const equal = Array.from({ length: 10 }, (_, i) => candidate(i + 1, 'person-a', i, 10));

  it('orders otherwise-equal slots by the identity-keyed hash', () => {
    for (const identity of IDENTITIES.slice(0, 5)) {
      const ranked = rankCandidates(equal, equalLoads(['person-a']), identity, equal.length);
      const expected = [...equal]
        .sort((a, b) => tiebreak(identity, b.slotId) - tiebreak(identity, a.slotId))
        .map((entry) => entry.slotId);
      expect(ids(ranked)).toEqual(expected);
      for (const entry of ranked) {
        expect(entry.components.tiebreak).toBeCloseTo(WEIGHTS.tiebreak * tiebreak(identity, entry.candidate.slotId), 12);
      }
    }
  });

  it('lets another identity order the same ties differently', () => {
    const orders = new Set(IDENTITIES.map((identity) => ids(rankCandidates(equal, equalLoads(['person-a']), identity, 3)).join(',')));
    expect(orders.size).toBeGreaterThan(1);
  });

  it('keys the hash on the identity and the slot, stably, in [0, 1)', () => {
    expect(tiebreak('u|location|l||', slotId(1))).toBe(tiebreak('u|location|l||', slotId(1)));
    expect(tiebreak('u|location|l||', slotId(1))).not.toBe(tiebreak('v|location|l||', slotId(1)));
    for (let n = 0; n < 200; n++) {
      const value = tiebreak(`id-${n}`, slotId(n));
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });
});

describe('rankCandidates: score components', () => {
  it('makes each total the sum of its components, and totals never increase down the offer', () => {
    const candidates = grid(PEOPLE, 2).map((entry, i) => ({ ...entry, crowd: i % 3 }));
    const loads = new Map<string, PersonLoad>([
      ['person-a', { weight: 1, openCapacity: 16, bookedSeats: 4 }],
      ['person-b', { weight: 2, openCapacity: 16, bookedSeats: 1 }],
      ['person-c', { weight: 1, openCapacity: 16, bookedSeats: 0 }],
    ]);
    const ranked = rankCandidates(candidates, loads, IDENTITIES[2], 10);
    for (const [i, { components }] of ranked.entries()) {
      expect(Math.abs(components.total - (components.staff + components.crowd + components.diversity + components.tiebreak))).toBeLessThan(1e-9);
      if (i > 0) expect(components.total).toBeLessThanOrEqual(ranked[i - 1].components.total);
    }
  });
});

describe('rankCandidates: properties', () => {
  const people = fc.constantFrom('p1', 'p2', 'p3', 'p4');
  const candidateArb = fc.record({
    slotId: fc.uuid(),
    personId: people,
    day: fc.integer({ min: 0, max: 30 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.constantFrom(0, 15, 30, 45),
    remaining: fc.integer({ min: 1, max: 5 }),
    crowd: fc.integer({ min: 0, max: 20 }),
  });
  const candidatesArb = fc
    .uniqueArray(candidateArb, { selector: (entry) => entry.slotId, maxLength: 40 })
    .map((entries) =>
      entries.map((entry): Candidate => {
        const startsAt = BASE + entry.day * DAY + entry.hour * 3_600_000 + entry.minute * 60_000;
        return {
          slotId: entry.slotId,
          personId: entry.personId,
          startsAt,
          localStart: new Date(startsAt).toISOString().slice(0, 16),
          remaining: entry.remaining,
          crowd: entry.crowd,
        };
      }),
    );
  const loadsArb = fc
    .record({
      p1: fc.record({ weight: fc.integer({ min: 1, max: 5 }), openCapacity: fc.integer({ min: 0, max: 50 }), bookedSeats: fc.integer({ min: 0, max: 50 }) }),
      p2: fc.record({ weight: fc.integer({ min: 1, max: 5 }), openCapacity: fc.integer({ min: 0, max: 50 }), bookedSeats: fc.integer({ min: 0, max: 50 }) }),
      p3: fc.record({ weight: fc.integer({ min: 1, max: 5 }), openCapacity: fc.integer({ min: 0, max: 50 }), bookedSeats: fc.integer({ min: 0, max: 50 }) }),
    })
    // p4 has no load row at all (e.g. deactivated since): the ranking must still cope.
    .map((record) => new Map<string, PersonLoad>(Object.entries(record)));

  it('returns a duplicate-free subset of the candidates of length min(count, candidates)', () => {
    fc.assert(
      fc.property(candidatesArb, loadsArb, fc.string({ maxLength: 40 }), fc.integer({ min: 0, max: 25 }), (candidates, loads, identity, count) => {
        const ranked = rankCandidates(candidates, loads, identity, count);
        const offered = ids(ranked);
        const known = new Set(candidates.map((entry) => entry.slotId));
        expect(offered.length).toBe(Math.min(count, candidates.length));
        expect(new Set(offered).size).toBe(offered.length);
        for (const id of offered) expect(known.has(id)).toBe(true);
        for (const entry of ranked) {
          expect(candidates).toContain(entry.candidate);
          expect(Number.isFinite(entry.components.total)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('spans at least two people whenever two have candidates and there are two places', () => {
    fc.assert(
      fc.property(candidatesArb, loadsArb, fc.string({ maxLength: 40 }), fc.integer({ min: 2, max: 10 }), (candidates, loads, identity, count) => {
        const available = new Set(candidates.map((entry) => entry.personId)).size;
        const offered = new Set(rankCandidates(candidates, loads, identity, count).map((entry) => entry.candidate.personId)).size;
        expect(offered).toBeGreaterThanOrEqual(Math.min(2, available));
      }),
      { numRuns: 300 },
    );
  });

  it('is independent of candidate order and repeatable', () => {
    fc.assert(
      fc.property(candidatesArb, loadsArb, fc.string({ maxLength: 40 }), fc.integer({ min: 0, max: 10 }), fc.nat(), (candidates, loads, identity, count, seed) => {
        const reference = ids(rankCandidates(candidates, loads, identity, count));
        expect(ids(rankCandidates(candidates, loads, identity, count))).toEqual(reference);
        expect(ids(rankCandidates(shuffled(candidates, seed), loads, identity, count))).toEqual(reference);
      }),
      { numRuns: 200 },
    );
  });
});
