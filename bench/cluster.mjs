// `npm run cluster`: the multi-instance topology, tested. Three instances of the built server
// behind HAProxy, all through PgBouncer in transaction pooling mode, on one PostgreSQL
// (BENCH_DATABASE_URL's server, or an embedded one). It then
//   1. races admin slot generations through the load balancer against the horizon jobs of the
//      instances for one location: every run answers 200, no slot is made twice, and a repeat
//      run changes nothing;
//   2. runs a storm of keyed holds through the load balancer and SIGKILLs one instance in the
//      middle of it; clients retry what failed with the same Idempotency-Key: nothing is
//      overbooked, and every key has one outcome that a retry replays.
// Needs Debian's haproxy and pgbouncer (it says how to install them when missing). Everything it
// starts, it stops; the database it made, it drops.
import { randomBytes, randomUUID } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_SECRET, createUsers, machine, signToken, withClient } from './bench-support.mjs';
import { startEmbeddedPostgres } from '../dist/database/embedded-postgres.mjs';

const INSTANCES = 3;
const HOLDS = 500;
const SLOTS = 50;
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

const missing = ['haproxy', 'pgbouncer'].filter((bin) => {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
});
if (missing.length > 0) {
  console.error(`npm run cluster needs ${missing.join(' and ')}. Install them with:\n  apt-get update && apt-get install -y haproxy pgbouncer`);
  process.exit(1);
}

const children = [];
const cleanups = [];

async function main() {
  const work = await mkdtemp(join(tmpdir(), 'scheduler-cluster-'));
  cleanups.push(() => rm(work, { recursive: true, force: true }));
  await chmod(work, 0o755);

  // PostgreSQL and a database of the run's own.
  let serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres({ dataDir: join(work, 'pg'), port: await freePort(), persistent: false, fast: true });
    cleanups.push(() => embedded.stop());
    serverUrl = embedded.url('postgres');
  }
  const database = `scheduler_cluster_${randomBytes(5).toString('hex')}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE "${database}"`));
  cleanups.push(() => withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)));
  const direct = new URL(serverUrl);
  direct.pathname = `/${database}`;

  // PgBouncer in transaction pooling mode: no session survives a transaction.
  const bouncerPort = await freePort();
  const user = decodeURIComponent(direct.username || 'postgres');
  await writeFile(join(work, 'users.txt'), `"${user}" ""\n`, { mode: 0o644 });
  await writeFile(
    join(work, 'pgbouncer.ini'),
    [
      '[databases]',
      `scheduler = host=${direct.hostname} port=${direct.port || 5432} dbname=${database} user=${user}` +
        (direct.password ? ` password=${decodeURIComponent(direct.password)}` : ''),
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${bouncerPort}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(work, 'users.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 1000',
      'default_pool_size = 20',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  // PgBouncer will not run as root; it drops to the postgres user the package creates.
  const asRoot = userInfo().uid === 0 ? ['-u', 'postgres'] : [];
  start('pgbouncer', 'pgbouncer', [...asRoot, join(work, 'pgbouncer.ini')]);
  await waitForPort(bouncerPort);
  const pooled = `postgres://${encodeURIComponent(user)}@127.0.0.1:${bouncerPort}/scheduler`;

  // The instances: DATABASE_URL through PgBouncer, migrations over the direct connection.
  const ports = [];
  const instances = [];
  const startInstance = async (index) => {
    const port = ports[index] ?? (ports[index] = await freePort());
    instances[index] = start(`instance ${index + 1}`, process.execPath, [MAIN], {
      cwd: work,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: pooled,
        DATABASE_MIGRATION_URL: direct.toString(),
        AUTH_JWT_SECRET: BENCH_SECRET,
        LOG_LEVEL: 'warn',
        DB_POOL_MAX: '10',
        // PgBouncer 1.18 in transaction mode cannot carry named prepared statements across transactions.
        DB_PREPARED_STATEMENTS: 'false',
        RATE_LIMIT_PER_MINUTE: '100000000',
        RATE_LIMIT_HOLDS_PER_MINUTE: '100000000',
        RATE_LIMIT_BROWSE_PER_MINUTE: '100000000',
        RATE_LIMIT_GENERATION_PER_MINUTE: '100000000',
        EXPOSURES_PER_USER_PER_MINUTE: '100000',
        SLOT_HORIZON_JOB_ENABLED: 'true',
        HOLD_SWEEP_INTERVAL_SECONDS: '1',
      },
    });
    await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200, 60_000, `instance ${index + 1} ready`);
  };
  await startInstance(0);

  // HAProxy in front, checking readiness every half second.
  const lbPort = await freePort();
  for (let index = 0; index < INSTANCES; index += 1) ports[index] ??= await freePort();
  await writeFile(
    join(work, 'haproxy.cfg'),
    [
      'global',
      '  maxconn 4000',
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 60s',
      '  timeout server 60s',
      // A refused connection (an instance booting or just killed) is tried again on another one;
      // a request already sent never is: the client retries it with its Idempotency-Key.
      '  retries 3',
      '  option redispatch 1',
      'frontend api',
      `  bind 127.0.0.1:${lbPort}`,
      '  default_backend instances',
      'backend instances',
      '  balance roundrobin',
      '  option httpchk GET /health/ready',
      '  http-check expect status 200',
      // A killed instance refuses the check at once and is out within a second; a busy one may
      // take its time to answer (readiness pings the database through the same pool).
      '  timeout check 3s',
      '  default-server inter 500ms fastinter 250ms fall 3 rise 2',
      ...ports.map((port, index) => `  server i${index + 1} 127.0.0.1:${port} check`),
      '',
    ].join('\n'),
  );
  start('haproxy', 'haproxy', ['-f', join(work, 'haproxy.cfg'), '-db']);
  await waitForPort(lbPort);
  const lb = `http://127.0.0.1:${lbPort}`;

  // The catalogue, through the load balancer.
  const bizEntityId = randomUUID();
  await withClient(direct.toString(), (c) => c.query('INSERT INTO public.biz_entity (id) VALUES ($1)', [bizEntityId]));
  const admin = await signToken({ sub: randomUUID(), roles: ['admin'], biz: [bizEntityId] });
  const location = await call(lb, 'POST', '/v1/admin/locations', admin, {
    bizEntityId,
    name: 'Cluster',
    timezone: 'Europe/London',
    policy: { requireExposure: false, maxActiveHoldsPerUser: 5, bookingHorizonDays: 30 },
  });
  for (let i = 0; i < 2; i += 1) {
    const person = await call(lb, 'POST', '/v1/admin/people', admin, { locationId: location.body.id, name: `P${i}` });
    await call(lb, 'POST', '/v1/admin/availability-rules', admin, {
      personId: person.body.id,
      kind: 'weekly',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      startTime: '08:00',
      endTime: '16:00',
      slotMinutes: 15,
    });
  }

  // 1. Generation against the horizon jobs: the other instances boot now, and each one's job
  //    generates every active location a second after it starts, while admin runs go through
  //    the load balancer to all three.
  const today = new Date().toISOString().slice(0, 10);
  const last = new Date(Date.now() + 29 * 86_400_000).toISOString().slice(0, 10);
  const booting = [1, 2].map((index) => startInstance(index));
  const generations = [];
  for (let round = 0; round < 6; round += 1) {
    generations.push(call(lb, 'POST', '/v1/admin/slot-generations', admin, { locationId: location.body.id, from: today, to: last }));
    await sleep(250);
  }
  await Promise.all(booting);
  const reports = await Promise.all(generations);
  await sleep(1500);
  const repeat = await call(lb, 'POST', '/v1/admin/slot-generations', admin, { locationId: location.body.id, from: today, to: last });
  const [{ duplicates }] = await rows(
    direct,
    `SELECT count(*)::int AS duplicates FROM (SELECT 1 FROM scheduler.slot_instances WHERE location_id = $1
       GROUP BY person_id, starts_at HAVING count(*) > 1) d`,
    [location.body.id],
  );
  const generationOk =
    reports.every((report) => report.status === 200) &&
    duplicates === 0 &&
    repeat.status === 200 &&
    repeat.body.created === 0 &&
    repeat.body.updated === 0 &&
    repeat.body.retired === 0;

  // 2. The storm, with one instance killed in the middle of it.
  const slotIds = (
    await rows(
      direct,
      `SELECT id FROM scheduler.slot_instances WHERE location_id = $1 AND starts_at > now() + interval '1 day'
        ORDER BY starts_at, person_id LIMIT $2`,
      [location.body.id, SLOTS],
    )
  ).map((row) => row.id);
  const users = await createUsers(direct.toString(), HOLDS);
  const requests = users.map((user, index) => ({ user, slotId: slotIds[index % SLOTS], key: randomUUID() }));
  let answered = 0;
  const retriedOn = {};
  const started = Date.now();
  const killer = (async () => {
    await waitUntil(async () => answered >= HOLDS / 5, 60_000, 'a fifth of the storm answered');
    instances[1].kill('SIGKILL');
  })();
  // Lost in the kill (no answer, or 502/503 from the balancer or the instance): retried with the key.
  const hold = (request, retried) =>
    untilAnswered(() => call(lb, 'POST', '/v1/bookings', request.user.token, { slotId: request.slotId }, request.key), retried);
  const outcomes = await Promise.all(
    requests.map(async (request) => {
      const answer = await hold(request, retriedOn);
      answered += 1;
      return answer;
    }),
  );
  const drainMs = Date.now() - started;
  await killer;

  // Every key again: the recorded outcome, replayed. A replay lost on the way is retried as a client would.
  const replayRetriedOn = {};
  const replays = await Promise.all(requests.map((request) => hold(request, replayRetriedOn)));
  const mismatches = replays
    .map((replay, index) => ({ first: outcomes[index], replay }))
    .filter(({ first, replay }) => replay.status !== first.status || JSON.stringify(replay.body) !== JSON.stringify(first.body) || !replay.replayed);
  const consistent = mismatches.length === 0;
  for (const mismatch of mismatches.slice(0, 3)) console.error(`a key's replay differs from its outcome: ${JSON.stringify(mismatch)}`);
  const [{ live, overbooked }] = await rows(
    direct,
    `SELECT coalesce(sum(n), 0)::int AS live, coalesce(sum(greatest(0, n - capacity)), 0)::int AS overbooked
       FROM (SELECT s.capacity, (SELECT count(*)::int FROM scheduler.bookings b
                                  WHERE b.slot_id = s.id AND b.status IN ('held', 'confirmed')) AS n
               FROM scheduler.slot_instances s WHERE s.id = ANY($1::uuid[])) per_slot`,
    [slotIds],
  );
  const created = outcomes.filter((outcome) => outcome.status === 201).length;

  const row = {
    instances: INSTANCES,
    pooling: 'PgBouncer transaction',
    generation_runs: reports.length + 1,
    generation_ok: generationOk,
    holds: HOLDS,
    slots: SLOTS,
    killed_instance: 2,
    retried: count(retriedOn),
    retried_on: reasons(retriedOn),
    replays_retried: count(replayRetriedOn),
    replays_retried_on: reasons(replayRetriedOn),
    created_201: created,
    refused_409: HOLDS - created,
    live_in_db: live,
    overbooked,
    one_outcome_per_key: consistent,
    drain_ms: drainMs,
  };
  console.log(`cluster (${INSTANCES} instances, HAProxy, PgBouncer ${pgbouncerVersion()} in transaction mode; ${machine()})`);
  console.table([row]);
  console.log(JSON.stringify({ bench: 'cluster', ...row }));
  if (!generationOk || overbooked !== 0 || live !== SLOTS || created !== SLOTS || !consistent || count(retriedOn) === 0) {
    throw new Error(`the cluster run broke a guarantee: ${JSON.stringify({ ...row, reports: reports.map((r) => r.status) })}`);
  }
}

/** A child process that is killed when the run ends; it says so when it dies on its own. */
function start(name, command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.on('exit', (code, signal) => {
    if (!stopping && signal !== 'SIGKILL') console.error(`${name} exited (${code ?? signal}): ${stderr.trim()}`);
  });
  children.push(child);
  return child;
}

let stopping = false;
async function stopAll() {
  stopping = true;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error('cleanup failed:', error.message));
}

/**
 * Calls until the answer is an outcome: a 201, or a 409 other than "in progress". Anything else
 * (no answer, HAProxy's 502 or 503, an instance's 503) is retried after 100 ms, for a minute at
 * most, and counted in `retried` by reason.
 */
async function untilAnswered(send, retried) {
  for (let attempt = 1; ; attempt += 1) {
    const answer = await send();
    if (answer.status === 201 || (answer.status === 409 && answer.body.code !== 'IDEMPOTENCY_KEY_IN_PROGRESS')) return answer;
    const reason = answer.status === -1 ? 'no answer' : `${answer.status} ${answer.body?.code ?? 'from HAProxy'}`;
    retried[reason] = (retried[reason] ?? 0) + 1;
    // A minute without an outcome is no longer a kill's aftermath.
    if (attempt >= 600) throw new Error(`no outcome after ${attempt} attempts: last ${reason}`);
    await sleep(100);
  }
}

const count = (retried) => Object.values(retried).reduce((sum, n) => sum + n, 0);
const reasons = (retried) => Object.entries(retried).map(([reason, n]) => `${reason} ×${n}`).join(', ');

async function call(base, method, path, token, body, key) {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  if (key) headers['idempotency-key'] = key;
  try {
    const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    // HAProxy's own answers (502, 503) are HTML pages.
    const json = (res.headers.get('content-type') ?? '').includes('json');
    return { status: res.status, body: json && text ? JSON.parse(text) : text, replayed: res.headers.get('idempotent-replayed') === 'true' };
  } catch (error) {
    return { status: -1, error: String(error.cause ?? error) };
  }
}

async function rows(url, sql, params) {
  return (await withClient(url.toString(), (c) => c.query(sql, params))).rows;
}

async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function waitForPort(port) {
  return waitUntil(
    () =>
      new Promise((resolve) => {
        const socket = createServer().listen(port, '127.0.0.1');
        socket.on('listening', () => socket.close(() => resolve(false)));
        socket.on('error', () => resolve(true));
      }),
    20_000,
    `port ${port}`,
  );
}

async function waitUntil(probe, timeoutMs, what) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await probe().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function pgbouncerVersion() {
  return execFileSync('pgbouncer', ['--version']).toString().split('\n')[0].replace('PgBouncer ', '');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

try {
  await main();
} finally {
  await stopAll();
}
