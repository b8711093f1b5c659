// Storm: 500 holds on 50 capacity-1 slots, all in flight at once (autocannon, 500 connections,
// one request each, in a separate process). Correctness first: exactly 50 live bookings, every
// other hold a 409, and no slot over its capacity in the database afterwards. Then the time
// from the first request to the last answer.
import { api, createBusiness, createUsers, machine, median, runLoad, seedLocation, startBenchApp, withClient } from './bench-support.mjs';

const SLOTS = 50;
const HOLDS = 500;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function main() {
  const bench = await startBenchApp();
  try {
    const { bizEntityId, admin } = await createBusiness(bench);
    // 32 slots a person a day: enough people for a fresh set of SLOTS slots per run.
    const people = Math.ceil((SLOTS * RUNS) / 32);
    const locationId = await seedLocation(bench, admin, bizEntityId, people, { requireExposure: false });
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await api(bench.base, 'POST', '/v1/admin/slot-generations', admin, { locationId, from: tomorrow, to: tomorrow });
    const { rows: slots } = await withClient(bench.databaseUrl, (c) =>
      c.query('SELECT id FROM scheduler.slot_instances WHERE location_id = $1 ORDER BY starts_at, person_id', [locationId]),
    );

    const runs = [];
    for (let run = 0; run < RUNS; run += 1) {
      const slotIds = slots.slice(run * SLOTS, (run + 1) * SLOTS).map((slot) => slot.id);
      const users = await createUsers(bench.databaseUrl, HOLDS);
      const report = await runLoad({
        base: bench.base,
        connections: HOLDS,
        amount: HOLDS,
        flow: 'hold',
        items: users.map((user, i) => ({ token: user.token, slotId: slotIds[i % SLOTS] })),
      });
      const { rows } = await withClient(bench.databaseUrl, (c) =>
        c.query(
          `SELECT coalesce(sum(n), 0)::int AS live, coalesce(sum(greatest(0, n - capacity)), 0)::int AS overbooked
             FROM (SELECT s.capacity,
                          (SELECT count(*)::int FROM scheduler.bookings b
                            WHERE b.slot_id = s.id AND b.status IN ('held', 'confirmed')) AS n
                     FROM scheduler.slot_instances s WHERE s.id = ANY($1::uuid[])) per_slot`,
          [slotIds],
        ),
      );
      runs.push({
        ...rows[0],
        created: report.statuses['hold 201'] ?? 0,
        conflicts: report.statuses['hold 409'] ?? 0,
        statuses: report.statuses,
        drainMs: report.wallMs,
      });
    }

    for (const run of runs) {
      if (run.overbooked !== 0 || run.live !== SLOTS || run.created !== SLOTS || run.conflicts !== HOLDS - SLOTS) {
        throw new Error(`storm broke the capacity rule: ${JSON.stringify(run)}`);
      }
    }
    const row = {
      holds: HOLDS,
      slots: SLOTS,
      created: runs[0].created,
      conflicts_409: runs[0].conflicts,
      live_in_db: runs[0].live,
      overbooked: Math.max(...runs.map((run) => run.overbooked)),
      drain_ms: Math.round(median(runs.map((run) => run.drainMs))),
    };
    console.log(`storm (${HOLDS} concurrent holds on ${SLOTS} capacity-1 slots; median of ${RUNS}; ${machine()})`);
    console.table([row]);
    console.log(JSON.stringify({ bench: 'storm', ...row }));
  } finally {
    await bench.close();
  }
}

await main();
