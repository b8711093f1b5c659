// The browse rows of the benchmarks, shared by bench/browse.mjs and bench/growth.mjs: the http
// floor, browse cold (a fresh user per request) and browse warm (about a hundred users asking
// again within the sticky TTL), all from autocannon in a separate process with 10 connections.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createUsers, medianRun, percentile, runLoad } from './bench-support.mjs';

const require = createRequire(import.meta.url);
const AUTOCANNON = require.resolve('autocannon/autocannon.js');
export const CONNECTIONS = 10;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const COLD_REQUESTS = Number(process.env.BENCH_COLD_REQUESTS ?? 1500);
const WARM_USERS = 100;

/** autocannon on one URL in its own process: its JSON summary. */
function autocannon(url) {
  const args = [AUTOCANNON, '-j', '-d', String(DURATION_S), '-c', String(CONNECTIONS), url];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`autocannon exited ${code}`))));
  });
}

/** Location and person offers, alternating, for the given users. */
function browseItems(users, locationId, personIds) {
  return users.map((user, i) => ({
    token: user.token,
    path: i % 2 === 0 ? `/v1/locations/${locationId}/slots` : `/v1/people/${personIds[(i >> 1) % personIds.length]}/slots`,
  }));
}

function rowOf(row, run, floorRate) {
  const rate = (run.flows / run.wallMs) * 1000;
  return {
    row,
    req_per_s: Math.round(rate),
    p50_ms: Number(percentile(run.flowMs, 50).toFixed(1)),
    p99_ms: Number(percentile(run.flowMs, 99).toFixed(1)),
    ratio: floorRate ? Number((rate / floorRate).toFixed(3)) : 1,
  };
}

function assertOk(run, what) {
  const failed = Object.entries(run.statuses).filter(([name]) => !name.endsWith(' 200'));
  if (failed.length > 0 || run.errors > 0) throw new Error(`${what}: ${JSON.stringify(run.statuses)}, ${run.errors} errors`);
}

/**
 * The three rows, `runs` times each (floor, cold and warm alternating), each the median run by
 * rate. Cold users are new in every run and their tokens signed before it starts.
 */
export async function browseRows(bench, { locationId, personIds, runs }) {
  const floors = [];
  const colds = [];
  const warms = [];
  const warmUsers = await createUsers(bench.databaseUrl, WARM_USERS);
  const warmItems = browseItems(warmUsers, locationId, personIds);
  // Each warm user's offer exists before the load: every request of the row is a repeat visit.
  await runLoad({ base: bench.base, connections: CONNECTIONS, amount: warmItems.length, flow: 'get', items: warmItems });
  for (let run = 0; run < runs; run += 1) {
    floors.push(await autocannon(`${bench.base}/health/live`));
    const coldItems = browseItems(await createUsers(bench.databaseUrl, COLD_REQUESTS), locationId, personIds);
    const cold = await runLoad({ base: bench.base, connections: CONNECTIONS, amount: coldItems.length, flow: 'get', items: coldItems });
    assertOk(cold, 'browse cold');
    colds.push(cold);
    const warm = await runLoad({ base: bench.base, connections: CONNECTIONS, durationS: DURATION_S, flow: 'get', items: warmItems, cycle: true });
    assertOk(warm, 'browse warm');
    warms.push(warm);
  }
  const floor = medianRun(floors, (run) => run.requests.average);
  const floorRate = floor.requests.average;
  const rateOf = (run) => run.flows / run.wallMs;
  return [
    { row: 'http floor (GET /health/live)', req_per_s: Math.round(floorRate), p50_ms: floor.latency.p50, p99_ms: floor.latency.p99, ratio: 1 },
    rowOf('browse cold (a fresh user per request; location and person offers)', medianRun(colds, rateOf), floorRate),
    rowOf(`browse warm (${WARM_USERS} users repeating within the sticky TTL)`, medianRun(warms, rateOf), floorRate),
  ];
}
