// Browse latency: the location exposure with 50 people × 32 slots/day × 90 days generated.
// Warm = the sticky path (the same user asking again), under autocannon in a separate process,
// next to the framework floor (GET /health/live) measured the same way in the same run.
// Cold = first visits of distinct users, each computing and storing a new offer.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { api, createBusiness, createUsers, machine, median, medianRun, percentile, seedLocation, startBenchApp } from './bench-support.mjs';

const require = createRequire(import.meta.url);
const AUTOCANNON = require.resolve('autocannon/autocannon.js');
const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = 10;
const COLD_USERS = Number(process.env.BENCH_COLD_USERS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);


/** Runs autocannon in its own process and returns its JSON summary. */
function autocannon(url, headers = {}) {
  const args = [AUTOCANNON, '-j', '-d', String(DURATION_S), '-c', String(CONNECTIONS)];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`autocannon exited ${code}`))));
  });
}

async function main() {
  const bench = await startBenchApp();
  try {
    const { bizEntityId, admin } = await createBusiness(bench);
    const locationId = await seedLocation(bench, admin, bizEntityId, 50);
    const today = new Date().toISOString().slice(0, 10);
    const last = new Date(Date.now() + 89 * 86_400_000).toISOString().slice(0, 10);
    const report = await api(bench.base, 'POST', '/v1/admin/slot-generations', admin, { locationId, from: today, to: last });

    const [warmUser, ...coldUsers] = await createUsers(bench.databaseUrl, COLD_USERS + 1);
    const browsePath = `/v1/locations/${locationId}/slots`;

    // Cold: each user's first visit ranks candidates and stores the offer.
    const cold = [];
    for (const { token } of coldUsers) {
      const started = performance.now();
      await api(bench.base, 'GET', browsePath, token);
      cold.push(performance.now() - started);
    }

    const warmToken = warmUser.token;
    await api(bench.base, 'GET', browsePath, warmToken);
    // Floor and warm browse alternate, RUNS times each; each row is its median run by req/s.
    const floors = [];
    const warms = [];
    for (let run = 0; run < RUNS; run += 1) {
      floors.push(await autocannon(`${bench.base}/health/live`));
      const warmRun = await autocannon(`${bench.base}${browsePath}`, { authorization: `Bearer ${warmToken}` });
      if (warmRun.non2xx > 0 || warmRun.errors > 0) throw new Error(`warm browse had ${warmRun.non2xx} non-2xx and ${warmRun.errors} errors`);
      warms.push(warmRun);
    }
    const floor = medianRun(floors, (run) => run.requests.average);
    const warm = medianRun(warms, (run) => run.requests.average);

    const rows = [
      { row: 'http floor (GET /health/live)', req_per_s: Math.round(floor.requests.average), p50_ms: floor.latency.p50, p99_ms: floor.latency.p99, ratio: 1 },
      {
        row: 'browse warm (sticky exposure)',
        req_per_s: Math.round(warm.requests.average),
        p50_ms: warm.latency.p50,
        p99_ms: warm.latency.p99,
        ratio: Number((warm.requests.average / floor.requests.average).toFixed(3)),
      },
      {
        row: `browse cold (${COLD_USERS} first visits, sequential)`,
        req_per_s: Math.round(1000 / median(cold)),
        p50_ms: Number(percentile(cold, 50).toFixed(1)),
        p99_ms: Number(percentile(cold, 99).toFixed(1)),
        ratio: null,
      },
    ];
    console.log(
      `browse (${report.created} slots: 50 people × 32/day × 90 days; autocannon ${CONNECTIONS} connections × ${DURATION_S} s, median of ${RUNS}; ${machine()})`,
    );
    console.table(rows);
    console.log(JSON.stringify({ bench: 'browse', rows }));
  } finally {
    await bench.close();
  }
}

await main();
