// `npm run simulate`: the fairness simulation of QUALITY.md §Fairness simulation.
//
// Drives the real, built service in-process (bench/bench-support.mjs: a fresh database, the
// app from dist/ on a free port, signed JWTs) with a seeded population of users who browse a
// location and hold, in concurrent waves, preferring earlier times. The same population runs
// twice on identical fresh locations:
//   engine   — users hold what GET /v1/locations/{id}/slots offers (policy requireExposure);
//   baseline — users are offered the earliest `locationMax` bookable slots ("earliest slots
//              first", read through the admin slot list; requireExposure off).
// It prints, for both: max deviation of each person's booking share from their capacity ×
// weight share, Gini of bookings, hold-collision rate (409s per hold attempt) and determinism
// (same query twice → same slots), with the targets and PASS/FAIL.
//
// Two scenarios, each with its engine and baseline run:
//   singles — the roster as listed, every user books one seat;
//   parties — every slot takes 4 seats, each user books a party of 1–4 (browsing with
//             `?seats=`, holding with `seats`); shares are counted in seats.
//
// Options: --scenario singles|parties|all (default all), --seed N (or SIM_SEED), --waves N,
// --wave-size N, --wave-seconds N (simulated time
// between waves; exposures older than EXPOSURE_TTL_SECONDS of simulated time are expired as
// the clock would; 0 = no ageing). Uses BENCH_DATABASE_URL's server when set, else an
// embedded PostgreSQL.
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import pg from 'pg';
import { machine, signToken, startBenchApp } from '../bench/bench-support.mjs';
import { fairness } from './simulation/metrics.mjs';
import { pickEarlyBiased, stream, uuidFrom } from './simulation/random.mjs';

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'all' },
    seed: { type: 'string' },
    waves: { type: 'string', default: '16' },
    'wave-size': { type: 'string', default: '20' },
    'wave-seconds': { type: 'string', default: '150' },
  },
});
const SEED = Number(args.seed ?? process.env.SIM_SEED ?? 20260501);
const WAVES = Number(args.waves);
const WAVE_SIZE = Number(args['wave-size']);
const WAVE_SECONDS = Number(args['wave-seconds']);
for (const [name, value] of Object.entries({ seed: SEED, waves: WAVES, 'wave-size': WAVE_SIZE, 'wave-seconds': WAVE_SECONDS })) {
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a non-negative integer, got ${value}`);
}

/** `capacity`: every rule's capacity instead of its own; `maxParty`: users book parties of 1..maxParty seats. */
const SCENARIOS = {
  singles: { name: 'singles', capacity: undefined, maxParty: 1, unit: 'bookings' },
  parties: { name: 'parties', capacity: 4, maxParty: 4, unit: 'seats' },
};
const RUN_SCENARIOS = args.scenario === 'all' ? Object.values(SCENARIOS) : [SCENARIOS[args.scenario]];
if (RUN_SCENARIOS.some((scenario) => !scenario)) throw new Error(`--scenario must be singles, parties or all, got ${args.scenario}`);

const TIMEZONE = 'Europe/London';
const HORIZON_DAYS = 14;
const EXPOSURE_TTL_SECONDS = 600; // the app's default (src/config/app-config.ts)
const LOCATION_MAX = 5; // policy exposure.locationMax (default): the baseline offers as many
const RETRIES = 1; // after a 409, one more try with another offered slot
const ABANDON_RATE = 0.08; // users who hold, then change their mind and cancel
const STICKY_CHECKS_PER_WAVE = 3;
const RECOMPUTE_CHECKS_PER_WAVE = 2;
const POLICY = { holdTtlSeconds: 3600, maxActiveHoldsPerUser: 2, minNoticeMinutes: 0, bookingHorizonDays: HORIZON_DAYS + 2 };

/** Staff: weights and weekly rules differ, so capacity × weight shares differ (≈ 860 places over 14 days). */
const ROSTER = [
  { name: 'Ada', weight: 0.5, rule: { weekdays: [1, 2, 3, 4, 5], startTime: '09:00', endTime: '17:00', slotMinutes: 30 } },
  { name: 'Ben', weight: 1, rule: { weekdays: [1, 2, 3, 4, 5], startTime: '09:00', endTime: '13:00', slotMinutes: 30 } },
  { name: 'Cleo', weight: 1, rule: { weekdays: [2, 4, 6], startTime: '10:00', endTime: '18:00', slotMinutes: 60 } },
  { name: 'Dev', weight: 1, rule: { weekdays: [1, 3, 5], startTime: '08:00', endTime: '16:00', slotMinutes: 20, bufferAfterMinutes: 10 } },
  { name: 'Eve', weight: 1.5, rule: { weekdays: [1, 2, 3, 4, 5, 6], startTime: '12:00', endTime: '18:00', slotMinutes: 30 } },
  { name: 'Finn', weight: 2, rule: { weekdays: [1, 2, 3, 4], startTime: '09:00', endTime: '15:00', slotMinutes: 45 } },
  { name: 'Gus', weight: 2, rule: { weekdays: [3, 4, 5, 6, 7], startTime: '10:00', endTime: '16:00', slotMinutes: 30, capacity: 2 } },
  { name: 'Hana', weight: 3, rule: { weekdays: [6, 7], startTime: '09:00', endTime: '13:00', slotMinutes: 30 } },
];

/** The population: ids, how strongly each prefers earlier times (τ), whether they abandon, and a party size of 1–4 (the parties scenario). */
function population() {
  return Array.from({ length: WAVES * WAVE_SIZE }, (_, index) => {
    const rng = stream(SEED, `user-${index}`);
    return {
      index,
      id: uuidFrom(rng),
      tau: 0.6 + 1.6 * rng(), // exp(−rank/τ): τ 0.6 → 81 % on the earliest of 5; τ 2.2 → 41 %
      abandons: rng() < ABANDON_RATE,
      // A stream of its own, so adding it moved no other draw.
      party: 1 + Math.floor(stream(SEED, `party-${index}`)() * 4),
      seedLabel: `picks-${index}`,
    };
  });
}

/** The seats a user books in `scenario`. */
const seatsOf = (scenario, user) => Math.min(user.party, scenario.maxParty);

async function call(base, method, path, token, body, idempotencyKey) {
  const headers = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function must(base, method, path, token, body) {
  const res = await call(base, method, path, token, body);
  if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A location with the roster, its rules (capacities as the scenario says), and slots generated for the horizon. */
async function seedLocation(ctx, name, requireExposure, scenario) {
  const { base, adminToken, bizEntityId } = ctx;
  const location = await must(base, 'POST', '/v1/admin/locations', adminToken, {
    bizEntityId,
    name,
    timezone: TIMEZONE,
    policy: { ...POLICY, requireExposure },
  });
  const people = [];
  for (const member of ROSTER) {
    const person = await must(base, 'POST', '/v1/admin/people', adminToken, {
      locationId: location.id,
      name: member.name,
      weight: member.weight,
    });
    const capacity = scenario.capacity ?? member.rule.capacity;
    await must(base, 'POST', '/v1/admin/availability-rules', adminToken, {
      personId: person.id,
      kind: 'weekly',
      ...member.rule,
      ...(capacity === undefined ? {} : { capacity }),
    });
    people.push({ id: person.id, name: member.name, weight: member.weight });
  }
  await must(base, 'POST', '/v1/admin/slot-generations', adminToken, {
    locationId: location.id,
    from: ctx.firstDate,
    to: ctx.lastDate,
  });
  // Open capacity per person over the simulated horizon, before any booking.
  const { rows } = await ctx.db.query(
    `SELECT person_id, sum(capacity)::int AS capacity FROM scheduler.slot_instances
      WHERE location_id = $1 AND status = 'open' AND starts_at >= $2 AND starts_at < $3 GROUP BY person_id`,
    [location.id, ctx.windowFrom, ctx.windowTo],
  );
  const capacity = new Map(rows.map((r) => [r.person_id, r.capacity]));
  for (const person of people) person.capacity = capacity.get(person.id) ?? 0;
  return { id: location.id, people };
}

/** The engine's offer: the real exposure endpoint, for the whole horizon and the user's party. */
async function engineOffer(ctx, location, user, seats) {
  const party = seats > 1 ? `&seats=${seats}` : '';
  const query = `from=${encodeURIComponent(ctx.windowFrom)}&to=${encodeURIComponent(ctx.windowTo)}${party}`;
  const res = await call(ctx.base, 'GET', `/v1/locations/${location.id}/slots?${query}`, user.token);
  if (res.status !== 200) throw new Error(`browse → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.slots;
}

/** The naive baseline: the earliest `LOCATION_MAX` open, not started slots with room for the party. */
async function baselineOffer(ctx, location, seats) {
  const offer = [];
  let cursor = null;
  do {
    const query = new URLSearchParams({ locationId: location.id, status: 'open', from: ctx.windowFrom, to: ctx.windowTo, limit: '200' });
    if (cursor) query.set('cursor', cursor);
    const page = await must(ctx.base, 'GET', `/v1/admin/slots?${query}`, ctx.adminToken);
    for (const slot of page.data) {
      if (offer.length < LOCATION_MAX && slot.remaining >= seats && Date.parse(slot.startsAt) > Date.now()) offer.push(slot);
    }
    cursor = page.nextCursor;
  } while (offer.length < LOCATION_MAX && cursor);
  return offer;
}

/** One user's visit: browse, pick (earlier preferred), hold; on 409 one retry; confirm or abandon. */
async function visit(ctx, run, location, user, stats) {
  const rng = stream(SEED, user.seedLabel);
  const seats = seatsOf(run.scenario, user);
  const offered = run.offer === 'engine' ? await engineOffer(ctx, location, user, seats) : await baselineOffer(ctx, location, seats);
  stats.browses += 1;
  stats.offeredSlots += offered.length;
  stats.offeredPeople += new Set(offered.map((slot) => slot.personId)).size;
  let choices = [...offered].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || (a.id < b.id ? -1 : 1));
  if (choices.length === 0) stats.emptyOffers += 1;
  for (let attempt = 0; attempt <= RETRIES && choices.length > 0; attempt += 1) {
    const slot = choices[pickEarlyBiased(rng, choices.length, user.tau)];
    stats.holdAttempts += 1;
    const key = `${run.name}-${user.index}-hold-${attempt}`;
    const hold = await call(ctx.base, 'POST', '/v1/bookings', user.token, { slotId: slot.id, ...(seats > 1 ? { seats } : {}) }, key);
    if (hold.status === 409) {
      stats.collisions += 1;
      choices = choices.filter((choice) => choice.id !== slot.id);
      continue;
    }
    if (hold.status !== 201) {
      stats.otherErrors[hold.status] = (stats.otherErrors[hold.status] ?? 0) + 1;
      return;
    }
    const action = user.abandons ? 'cancel' : 'confirm';
    const done = await call(ctx.base, 'POST', `/v1/bookings/${hold.body.id}/${action}`, user.token, {}, `${run.name}-${user.index}-${action}`);
    if (done.status !== 200) throw new Error(`${action} → ${done.status}: ${JSON.stringify(done.body)}`);
    if (user.abandons) stats.abandoned += 1;
    else stats.confirmed += 1;
    return;
  }
  stats.gaveUp += 1;
}

const sameSlots = (a, b) => a.length === b.length && a.every((slot, i) => slot.id === b[i].id);

/**
 * Same query twice → same slots. Sticky: two browses in a row (the stored exposure). Recompute:
 * the user's exposures expired, browse, expired again, browse: the ranking run twice on the
 * same inventory. Taken between waves, when nothing else moves.
 */
async function checkDeterminism(ctx, run, location, sample, stats) {
  const expire = (user) =>
    ctx.db.query(`UPDATE scheduler.exposures SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND location_id = $2`, [
      user.id,
      location.id,
    ]);
  const offer = (user) => {
    const seats = seatsOf(run.scenario, user);
    return run.offer === 'engine' ? engineOffer(ctx, location, user, seats) : baselineOffer(ctx, location, seats);
  };
  for (const [i, user] of sample.entries()) {
    const first = await offer(user);
    const second = await offer(user);
    stats.sticky.total += 1;
    if (sameSlots(first, second)) stats.sticky.same += 1;
    if (i >= RECOMPUTE_CHECKS_PER_WAVE) continue;
    if (run.offer === 'engine') await expire(user);
    const fresh = await offer(user);
    if (run.offer === 'engine') await expire(user);
    const again = await offer(user);
    stats.recompute.total += 1;
    if (fresh.length > 0 && sameSlots(fresh, again)) stats.recompute.same += 1;
  }
}

/** Exposures made more than EXPOSURE_TTL_SECONDS of simulated time ago expire, as the clock would. */
async function ageExposures(ctx, location, waveStarts, wave) {
  if (WAVE_SECONDS === 0) return;
  const lastExpiredWave = wave - Math.ceil(EXPOSURE_TTL_SECONDS / WAVE_SECONDS);
  if (lastExpiredWave < 0) return;
  await ctx.db.query(`UPDATE scheduler.exposures SET expires_at = now() WHERE location_id = $1 AND created_at < $2 AND expires_at > now()`, [
    location.id,
    waveStarts[lastExpiredWave + 1],
  ]);
}

async function runOnce(ctx, run, users) {
  const location = await seedLocation(ctx, `Simulation ${run.name}`, run.offer === 'engine', run.scenario);
  const stats = {
    browses: 0,
    offeredSlots: 0,
    offeredPeople: 0,
    emptyOffers: 0,
    holdAttempts: 0,
    collisions: 0,
    confirmed: 0,
    abandoned: 0,
    gaveUp: 0,
    otherErrors: {},
    sticky: { same: 0, total: 0 },
    recompute: { same: 0, total: 0 },
  };
  const sampler = stream(SEED, 'determinism-sample');
  const waveStarts = [];
  const started = performance.now();
  for (let wave = 0; wave < WAVES; wave += 1) {
    waveStarts.push((await ctx.db.query(`SELECT clock_timestamp() AS t`)).rows[0].t);
    if (run.offer === 'engine') await ageExposures(ctx, location, waveStarts, wave);
    const waveUsers = users.slice(wave * WAVE_SIZE, (wave + 1) * WAVE_SIZE);
    await Promise.all(waveUsers.map((user) => visit(ctx, run, location, user, stats)));
    const sample = [...waveUsers];
    const picked = [];
    while (picked.length < Math.min(STICKY_CHECKS_PER_WAVE, sample.length)) {
      picked.push(sample.splice(Math.floor(sampler() * sample.length), 1)[0]);
    }
    await checkDeterminism(ctx, run, location, picked, stats);
  }
  const seconds = (performance.now() - started) / 1000;
  // Shares in seats: with one seat a booking (singles) that is the number of bookings.
  const { rows } = await ctx.db.query(
    `SELECT person_id, sum(seats)::int AS n FROM scheduler.bookings WHERE location_id = $1 AND status = 'confirmed' GROUP BY person_id`,
    [location.id],
  );
  const [{ overbooked }] = (
    await ctx.db.query(
      `SELECT count(*)::int AS overbooked FROM scheduler.slot_instances s
        WHERE s.location_id = $1
          AND s.capacity < (SELECT COALESCE(sum(b.seats), 0) FROM scheduler.bookings b WHERE b.slot_id = s.id AND b.status IN ('held', 'confirmed'))`,
      [location.id],
    )
  ).rows;
  const fair = fairness(location.people, new Map(rows.map((r) => [r.person_id, r.n])));
  return { run, stats, fair, seconds, overbooked, capacity: location.people.reduce((sum, p) => sum + p.capacity, 0) };
}

const pct = (x) => `${(x * 100).toFixed(1)} %`;
const ratio = (same, total) => (total === 0 ? 0 : same / total);

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

function report(engine, baseline, scenario) {
  const { unit } = scenario;
  const lines = [];
  const parties = scenario.maxParty > 1 ? `parties of 1–${scenario.maxParty}` : 'one seat each';
  const capacities = scenario.capacity ? `every slot ${scenario.capacity} seats` : 'capacities as listed';
  lines.push(
    `fairness simulation, scenario ${scenario.name} (${capacities}; ${parties}) — seed ${SEED}; ${WAVES} waves × ${WAVE_SIZE} concurrent users; ` +
      `${WAVE_SECONDS} s simulated between waves; ${ROSTER.length} people, ${engine.capacity} places over ${HORIZON_DAYS} days (${TIMEZONE}); ${machine()}`,
  );
  lines.push('');
  lines.push(`Per person (share of confirmed ${unit} vs capacity × weight share):`);
  lines.push('');
  lines.push(
    table(
      ['person', 'weight', 'capacity', 'target share', `engine ${unit}`, 'engine share', `baseline ${unit}`, 'baseline share'],
      engine.fair.rows.map((row, i) => {
        const base = baseline.fair.rows[i];
        return [row.person, row.weight, row.capacity, pct(row.target), row.booked, pct(row.share), base.booked, pct(base.share)];
      }),
    ),
  );
  lines.push('');
  const collisionRate = (r) => ratio(r.stats.collisions, r.stats.holdAttempts);
  const sticky = (r) => ratio(r.stats.sticky.same, r.stats.sticky.total);
  const recompute = (r) => ratio(r.stats.recompute.same, r.stats.recompute.total);
  const verdicts = {
    deviation: engine.fair.maxDeviationPp <= 5,
    collisions: collisionRate(engine) <= collisionRate(baseline) / 3,
    sticky: sticky(engine) === 1,
    recompute: recompute(engine) === 1,
  };
  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  lines.push(
    table(
      ['metric', 'engine', 'baseline', 'target (engine)', 'result'],
      [
        [`max |${unit === 'seats' ? 'seat' : 'booking'} share − capacity×weight share|`, `${engine.fair.maxDeviationPp.toFixed(1)} pp`, `${baseline.fair.maxDeviationPp.toFixed(1)} pp`, '≤ 5 pp', verdict(verdicts.deviation)],
        [
          `Gini of ${unit} per person (plain)`,
          engine.fair.giniBookings.toFixed(3),
          baseline.fair.giniBookings.toFixed(3),
          `— (info; ${engine.fair.giniTarget.toFixed(3)} if exactly fair)`,
          '',
        ],
        [`Gini of ${unit} per unit of capacity×weight`, engine.fair.giniWeighted.toFixed(3), baseline.fair.giniWeighted.toFixed(3), '— (info; 0 = exactly fair)', ''],
        [
          'hold collisions (409 / hold attempts)',
          `${pct(collisionRate(engine))} (${engine.stats.collisions}/${engine.stats.holdAttempts})`,
          `${pct(collisionRate(baseline))} (${baseline.stats.collisions}/${baseline.stats.holdAttempts})`,
          `≤ ⅓ of baseline (${pct(collisionRate(baseline) / 3)})`,
          verdict(verdicts.collisions),
        ],
        [
          'determinism, sticky repeat',
          `${pct(sticky(engine))} (${engine.stats.sticky.same}/${engine.stats.sticky.total})`,
          `${pct(sticky(baseline))} (${baseline.stats.sticky.same}/${baseline.stats.sticky.total})`,
          '100 %',
          verdict(verdicts.sticky),
        ],
        [
          'determinism, recomputed after expiry',
          `${pct(recompute(engine))} (${engine.stats.recompute.same}/${engine.stats.recompute.total})`,
          `${pct(recompute(baseline))} (${baseline.stats.recompute.same}/${baseline.stats.recompute.total})`,
          '100 %',
          verdict(verdicts.recompute),
        ],
        ['confirmed bookings (abandoned holds)', `${engine.stats.confirmed} (${engine.stats.abandoned})`, `${baseline.stats.confirmed} (${baseline.stats.abandoned})`, '', ''],
        ...(unit === 'seats' ? [['confirmed seats', engine.fair.totalBooked, baseline.fair.totalBooked, '', '']] : []),
        ['users left without a booking (after retry)', engine.stats.gaveUp, baseline.stats.gaveUp, '', ''],
        ['mean slots / distinct people per offer', meanOffer(engine), meanOffer(baseline), '', ''],
        ['other hold errors', JSON.stringify(engine.stats.otherErrors), JSON.stringify(baseline.stats.otherErrors), '{}', ''],
        ['overbooked slots', engine.overbooked, baseline.overbooked, '0', ''],
        ['run time', `${engine.seconds.toFixed(1)} s`, `${baseline.seconds.toFixed(1)} s`, '', ''],
      ],
    ),
  );
  return { text: lines.join('\n'), passed: Object.values(verdicts).every(Boolean), verdicts };
}

function meanOffer(result) {
  const n = Math.max(1, result.stats.browses);
  return `${(result.stats.offeredSlots / n).toFixed(2)} / ${(result.stats.offeredPeople / n).toFixed(2)}`;
}

async function main() {
  const bench = await startBenchApp();
  const db = new pg.Client({ connectionString: bench.databaseUrl });
  await db.connect();
  try {
    const setupRng = stream(SEED, 'setup');
    const bizEntityId = uuidFrom(setupRng);
    const adminId = uuidFrom(setupRng);
    const users = population();
    await db.query('INSERT INTO public.biz_entity (id) VALUES ($1)', [bizEntityId]);
    // Every scenario books at locations of its own, so one scenario's bookings never weigh on another's.
    await db.query('INSERT INTO public.auth_user (id) SELECT unnest($1::uuid[])', [[adminId, ...users.map((u) => u.id)]]);
    for (const user of users) user.token = await signToken({ sub: user.id });
    // The horizon: the next 14 local days, starting tomorrow, so no slot starts during the run.
    const first = DateTime.now().setZone(TIMEZONE).plus({ days: 1 }).startOf('day');
    const ctx = {
      base: bench.base,
      db,
      bizEntityId,
      adminToken: await signToken({ sub: adminId, roles: ['admin'], biz: [bizEntityId] }),
      firstDate: first.toISODate(),
      lastDate: first.plus({ days: HORIZON_DAYS - 1 }).toISODate(),
      windowFrom: first.toUTC().toISO(),
      windowTo: first.plus({ days: HORIZON_DAYS }).toUTC().toISO(),
    };
    for (const scenario of RUN_SCENARIOS) {
      const engine = await runOnce(ctx, { name: `${scenario.name}-engine`, offer: 'engine', scenario }, users);
      const baseline = await runOnce(ctx, { name: `${scenario.name}-baseline`, offer: 'baseline', scenario }, users);
      const { text, passed, verdicts } = report(engine, baseline, scenario);
      console.log(text);
      console.log(
        JSON.stringify({
          simulate: { scenario: scenario.name, seed: SEED, waves: WAVES, waveSize: WAVE_SIZE, waveSeconds: WAVE_SECONDS },
          engine: summary(engine),
          baseline: summary(baseline),
          verdicts,
        }),
      );
      console.log('');
      if (!passed) process.exitCode = 1;
    }
  } finally {
    await db.end();
    await bench.close();
  }
}

function summary(result) {
  return {
    maxDeviationPp: Number(result.fair.maxDeviationPp.toFixed(2)),
    giniBookings: Number(result.fair.giniBookings.toFixed(4)),
    giniWeighted: Number(result.fair.giniWeighted.toFixed(4)),
    collisionRate: Number(ratio(result.stats.collisions, result.stats.holdAttempts).toFixed(4)),
    sticky: ratio(result.stats.sticky.same, result.stats.sticky.total),
    recompute: ratio(result.stats.recompute.same, result.stats.recompute.total),
    confirmed: result.stats.confirmed,
    confirmedSeats: result.fair.totalBooked,
  };
}

await main();
