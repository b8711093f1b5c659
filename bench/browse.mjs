// Browse: the location and person exposures with 50 people × 32 slots/day × 90 days generated,
// first visits (cold) and repeat visits (warm) next to the framework floor (GET /health/live),
// all measured the same way in the same run (bench/browse-rows.mjs).
import { browseRows, CONNECTIONS } from './browse-rows.mjs';
import { api, createBusiness, machine, seedLocation, startBenchApp, withClient } from './bench-support.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function main() {
  const bench = await startBenchApp();
  try {
    const { bizEntityId, admin } = await createBusiness(bench);
    const locationId = await seedLocation(bench, admin, bizEntityId, 50);
    const today = new Date().toISOString().slice(0, 10);
    const last = new Date(Date.now() + 89 * 86_400_000).toISOString().slice(0, 10);
    const report = await api(bench.base, 'POST', '/v1/admin/slot-generations', admin, { locationId, from: today, to: last });
    // What autovacuum does within a minute of a large generation: the offers' sample is then an index-only read.
    await withClient(bench.databaseUrl, (c) => c.query('VACUUM ANALYZE scheduler.slot_instances'));
    const { rows: people } = await withClient(bench.databaseUrl, (c) =>
      c.query('SELECT id FROM scheduler.people WHERE location_id = $1 ORDER BY id', [locationId]),
    );
    const rows = await browseRows(bench, { locationId, personIds: people.map((p) => p.id), runs: RUNS });
    console.log(`browse (${report.created} slots: 50 people × 32/day × 90 days; autocannon ${CONNECTIONS} connections; median of ${RUNS}; ${machine()})`);
    console.table(rows);
    console.log(JSON.stringify({ bench: 'browse', rows }));
  } finally {
    await bench.close();
  }
}

await main();
