// Slot generation at scale: 90 days × 50 people × 32 slots/day ≈ 144,000 slots in one call,
// against a raw COPY of the same rows, in the same run, into a scratch copy of slot_instances
// with all its indexes and constraints (the floor: what the schema itself costs).
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import copyStreams from 'pg-copy-streams';
import { api, createBusiness, machine, median, seedLocation, startBenchApp, withClient } from './bench-support.mjs';

const DAYS = 90;
const PEOPLE = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FROM = '2027-01-04';
const TO = '2027-04-03';

/**
 * The floor: a raw COPY of the same rows into `LIKE scheduler.slot_instances INCLUDING ALL` (its
 * primary key, unique key, exclusion constraint, indexes, checks and defaults), in the start
 * order generation uses and in the binary format it sends, as PostgreSQL itself writes them.
 */
async function copyIntoSameSchema(databaseUrl, locationId) {
  return withClient(databaseUrl, async (client) => {
    const columns = `id, biz_entity_id, location_id, person_id, rule_id, starts_at, ends_at, buffered_starts_at, buffered_ends_at,
                     local_start, timezone, capacity`;
    const parts = [];
    const source = client.query(
      copyStreams.to(
        `COPY (SELECT ${columns} FROM scheduler.slot_instances WHERE location_id = '${locationId}' ORDER BY starts_at, person_id)
           TO STDOUT WITH (FORMAT binary)`,
      ),
    );
    for await (const part of source) parts.push(part);
    const data = Buffer.concat(parts);
    const chunks = [];
    for (let at = 0; at < data.length; at += 256 * 1024) chunks.push(data.subarray(at, at + 256 * 1024));
    await client.query(`CREATE TABLE public.copy_scratch (LIKE scheduler.slot_instances INCLUDING ALL)`);
    try {
      const started = performance.now();
      await pipeline(
        Readable.from(chunks),
        client.query(copyStreams.from(`COPY public.copy_scratch (${columns}) FROM STDIN WITH (FORMAT binary)`)),
      );
      return performance.now() - started;
    } finally {
      await client.query(`DROP TABLE public.copy_scratch`);
    }
  });
}

/** One run on a database of its own, so every run inserts into the same (empty) table. */
async function oneRun() {
  const bench = await startBenchApp();
  try {
    const { bizEntityId, admin: token } = await createBusiness(bench);
    const locationId = await seedLocation(bench, token, bizEntityId, PEOPLE);
    const body = { locationId, from: FROM, to: TO };
    let started = performance.now();
    const first = await api(bench.base, 'POST', '/v1/admin/slot-generations', token, body);
    const generateMs = performance.now() - started;
    started = performance.now();
    const second = await api(bench.base, 'POST', '/v1/admin/slot-generations', token, body);
    const noopMs = performance.now() - started;
    if (second.created !== 0 || second.retired !== 0) throw new Error(`second run was not a no-op: ${JSON.stringify(second)}`);
    const copyMs = await copyIntoSameSchema(bench.databaseUrl, locationId);
    return { created: first.created, generateMs, noopMs, copyMs };
  } finally {
    await bench.close();
  }
}

async function main() {
  const results = [];
  for (let run = 0; run < RUNS; run += 1) results.push(await oneRun());
  const created = results[0].created;
  const generateMs = median(results.map((r) => r.generateMs));
  const noopMs = median(results.map((r) => r.noopMs));
  const copyMs = median(results.map((r) => r.copyMs));
  const row = {
    rows: created,
    generate_ms: Math.round(generateMs),
    generate_rows_per_s: Math.round((created / generateMs) * 1000),
    same_schema_copy_ms: Math.round(copyMs),
    copy_rows_per_s: Math.round((created / copyMs) * 1000),
    ratio_vs_copy: Number((copyMs / generateMs).toFixed(2)),
    noop_second_run_ms: Math.round(noopMs),
  };
  console.log(`generate (${DAYS} days × ${PEOPLE} people × 32 slots/day; median of ${RUNS}; ${machine()})`);
  console.table([row]);
  console.log(JSON.stringify({ bench: 'generate', ...row }));
}

await main();
