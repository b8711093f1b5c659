// Hold + confirm flows under contention: every flow books one of a few hot slots (capacity
// 10,000), so concurrent flows queue on the same slot row locks. The app is driven by
// autocannon in a separate process (bench/load.mjs); the floor is the same SQL statements the
// app sent for one recorded hold and confirm (idempotency, locks, checks, inserts, events),
// replayed with raw `pg` at the same concurrency: what the flows cost without HTTP and Nest.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  api,
  createBusiness,
  createUsers,
  machine,
  medianRun,
  percentile,
  runLoad,
  seedLocation,
  startBenchApp,
  withClient,
} from './bench-support.mjs';

const CONNECTIONS = 10;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 6);
const ROUNDS = Number(process.env.BENCH_RUNS ?? 3);
const HOT_SLOTS = 10;
// A prime, so (user, slot) pairs repeat only after USERS × HOT_SLOTS flows.
const USERS = 2003;

/**
 * Records the statements (text, name when sent as a named prepared statement, parameters,
 * result rows) the pg client that serves `work`'s two requests sends while it runs; statements
 * of background jobs on other connections are left out. Fails unless one client sent both keys.
 */
async function recordStatements(keys, work) {
  const byClient = new Map();
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function recordingQuery(config, values, callback) {
    const result = original.call(this, config, values, callback);
    const named = typeof config === 'object' && config !== null && typeof config.text === 'string' && config.name;
    if ((typeof config === 'string' || named) && callback === undefined && typeof result?.then === 'function') {
      if (!byClient.has(this)) byClient.set(this, []);
      const recorded = byClient.get(this);
      const entry = named
        ? { text: config.text, name: config.name, values: structuredClone(config.values ?? values ?? []), rows: [] }
        : { text: config, values: structuredClone(values ?? []), rows: [] };
      recorded.push(entry);
      result.then((r) => (entry.rows = r.rows ?? []), () => undefined);
    }
    return result;
  };
  try {
    await work();
  } finally {
    pg.Client.prototype.query = original;
  }
  const sent = (statements, key) => statements.some((statement) => JSON.stringify(statement.values).includes(key));
  const servedBoth = (statements) => keys.every((key) => sent(statements, key));
  const flows = [...byClient.values()].filter(servedBoth);
  if (flows.length !== 1) throw new Error(`the hold and the confirm did not run on one connection (${byClient.size} recorded); run again`);
  return { statements: flows[0] };
}

/** Replaces every recorded value (ids, keys) the mapping knows, inside strings too (paths, stored JSON). */
function substitute(value, mapping) {
  if (typeof value === 'string') {
    let out = value;
    for (const [from, to] of mapping) if (out.includes(from)) out = out.split(from).join(to);
    return out;
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, mapping));
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Ids the database made during the recording (the booking's) map to the ones it makes now, in JSON columns too. */
function learn(recordedRows, rows, mapping) {
  const walk = (recorded, now) => {
    if (typeof recorded === 'string') {
      if (UUID.test(recorded) && typeof now === 'string' && now !== recorded) mapping.set(recorded, now);
    } else if (recorded && typeof recorded === 'object' && now && typeof now === 'object') {
      for (const [key, value] of Object.entries(recorded)) walk(value, now[key]);
    }
  };
  recordedRows.forEach((recordedRow, index) => walk(recordedRow, rows[index]));
}

/** The floor: CONNECTIONS workers, a raw pg client each, replaying the recorded flow for DURATION_S. */
async function replayFloor(databaseUrl, recording, recordedFor, items) {
  let next = 0;
  const flowMs = [];
  const deadline = performance.now() + DURATION_S * 1000;
  const worker = async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      while (performance.now() < deadline) {
        const item = items[next];
        next += 1;
        if (!item) throw new Error(`the floor ran out of items after ${items.length} flows`);
        const mapping = new Map([
          [recordedFor.userId, item.userId],
          [recordedFor.slotId, item.slotId],
          ...recordedFor.keys.map((key) => [key, randomUUID()]),
        ]);
        const started = performance.now();
        for (const statement of recording.statements) {
          // The same protocol as the app: a statement it sent named is prepared once per connection here too.
          const values = substitute(statement.values, mapping);
          const { rows } = await client.query(statement.name ? { name: statement.name, text: statement.text, values } : { text: statement.text, values });
          learn(statement.rows, rows ?? [], mapping);
        }
        flowMs.push(performance.now() - started);
      }
    } finally {
      await client.end();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return { flows: flowMs.length, wallMs: performance.now() - started, flowMs };
}

/** At least one confirmed booking per finished flow; at most one more per connection (in flight when the load stopped). */
async function expectConfirmed(databaseUrl, slotIds, flows) {
  const { rows } = await withClient(databaseUrl, (c) =>
    c.query(`SELECT count(*)::int AS n FROM scheduler.bookings WHERE slot_id = ANY($1::uuid[]) AND status = 'confirmed'`, [slotIds]),
  );
  if (rows[0].n < flows || rows[0].n > flows + CONNECTIONS) {
    throw new Error(`${flows} flows finished but ${rows[0].n} bookings are confirmed`);
  }
}

function summary(row, run) {
  return {
    row,
    flows_per_s: Math.round((run.flows / run.wallMs) * 1000),
    p50_ms: Number(percentile(run.flowMs, 50).toFixed(1)),
    p99_ms: Number(percentile(run.flowMs, 99).toFixed(1)),
  };
}

/**
 * The floor and app rows, `rounds` times each, on a location of their own seeded in `bench`
 * (bench/growth.mjs measures them again as the tables grow).
 */
export async function holdRows(bench, rounds = ROUNDS) {
  const { bizEntityId, admin } = await createBusiness(bench);
  // Holds need no offer here: the contention is on purpose, every flow aims at a hot slot.
  const locationId = await seedLocation(bench, admin, bizEntityId, 2 * rounds + 1, { requireExposure: false }, 10_000);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  await api(bench.base, 'POST', '/v1/admin/slot-generations', admin, { locationId, from: tomorrow, to: tomorrow });
  const { rows: slots } = await withClient(bench.databaseUrl, (c) =>
    c.query('SELECT id FROM scheduler.slot_instances WHERE location_id = $1 ORDER BY person_id, starts_at', [locationId]),
  );
  // Each round, app or floor, gets hot slots of its own, so none inherits another's bookings.
  const hotSets = Array.from({ length: 2 * rounds + 1 }, (_, set) => slots.slice(set * 32, set * 32 + HOT_SLOTS).map((s) => s.id));
  const users = await createUsers(bench.databaseUrl, USERS);
  const itemsFor = (hot) =>
    Array.from({ length: USERS * HOT_SLOTS }, (_, k) => ({ userId: users[k % USERS].id, token: users[k % USERS].token, slotId: hot[k % HOT_SLOTS] }));

  // One flow through the app, recorded, on a set of its own.
  const [recordUser] = await createUsers(bench.databaseUrl, 1);
  const recordSlot = hotSets[2 * rounds][0];
  const keys = [randomUUID(), randomUUID()];
  const recording = await recordStatements(keys, async () => {
    const booking = await api(bench.base, 'POST', '/v1/bookings', recordUser.token, { slotId: recordSlot }, { 'idempotency-key': keys[0] });
    await api(bench.base, 'POST', `/v1/bookings/${booking.id}/confirm`, recordUser.token, undefined, { 'idempotency-key': keys[1] });
  });
  const recordedFor = { userId: recordUser.id, slotId: recordSlot, keys };

  // Warm-up (discarded): the first seconds of a fresh process run unoptimised code.
  await runLoad({ base: bench.base, connections: CONNECTIONS, durationS: 2, flow: 'hold-confirm', items: itemsFor(hotSets[2 * rounds]) });

  const appRuns = [];
  const floorRuns = [];
  for (let round = 0; round < rounds; round += 1) {
    const app = await runLoad({
      base: bench.base,
      connections: CONNECTIONS,
      durationS: DURATION_S,
      flow: 'hold-confirm',
      items: itemsFor(hotSets[2 * round]),
    });
    const failed = Object.entries(app.statuses).filter(([name]) => !/ (200|201)$/.test(name));
    if (failed.length > 0 || app.errors > 0) throw new Error(`flows failed: ${JSON.stringify(app.statuses)}, ${app.errors} errors`);
    appRuns.push(app);
    const floor = await replayFloor(bench.databaseUrl, recording, recordedFor, itemsFor(hotSets[2 * round + 1]));
    floorRuns.push(floor);
    // Both sides must really have booked: one confirmed booking per finished flow.
    await expectConfirmed(bench.databaseUrl, hotSets[2 * round], app.flows);
    await expectConfirmed(bench.databaseUrl, hotSets[2 * round + 1], floor.flows);
  }

  const rateOf = (run) => run.flows / run.wallMs;
  const appRow = summary('hold + confirm through the API', medianRun(appRuns, rateOf));
  const floorRow = summary('the same statements, raw pg', medianRun(floorRuns, rateOf));
  return [
    { ...floorRow, statements_per_flow: recording.statements.length, ratio: 1 },
    {
      ...appRow,
      statements_per_flow: recording.statements.length,
      ratio: Number((appRow.flows_per_s / floorRow.flows_per_s).toFixed(2)),
    },
  ];
}

async function main() {
  const bench = await startBenchApp();
  try {
    const rows = await holdRows(bench);
    console.log(
      `hold (${CONNECTIONS} concurrent flows on ${HOT_SLOTS} hot slots; ${DURATION_S} s per run; median of ${ROUNDS}; ${machine()})`,
    );
    console.table(rows);
    console.log(JSON.stringify({ bench: 'hold', rows }));
  } finally {
    await bench.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
