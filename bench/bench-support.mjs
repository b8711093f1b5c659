// Shared plumbing for the benchmarks: a throw-away database (on BENCH_DATABASE_URL's server or
// an embedded PostgreSQL), the built app on it, and small statistics helpers.
import { randomBytes, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres } from '../dist/database/embedded-postgres.mjs';

const require = createRequire(import.meta.url);
const { createApp } = require('../dist/app.setup.js');
const { loadConfig } = require('../dist/config/app-config.js');
const { signHs256Token } = require('../dist/common/auth/tokens.js');

export const BENCH_SECRET = 'bench-secret-that-is-long-enough-for-hs256-000000';

/** A fresh database and the app on it; `close()` drops both. */
export async function startBenchApp() {
  let embedded;
  let serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: await mkdtemp(join(tmpdir(), 'scheduler-bench-')),
      port: 5400 + Math.floor(Math.random() * 400),
      persistent: false,
    });
    serverUrl = embedded.url('postgres');
  }
  const database = `scheduler_bench_${randomBytes(5).toString('hex')}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE "${database}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: url.toString(),
    AUTH_JWT_SECRET: BENCH_SECRET,
    LOG_LEVEL: 'silent',
    SLOT_HORIZON_JOB_ENABLED: 'false',
    RATE_LIMIT_PER_MINUTE: '100000000',
    RATE_LIMIT_HOLDS_PER_MINUTE: '100000000',
    RATE_LIMIT_BROWSE_PER_MINUTE: '100000000',
    RATE_LIMIT_GENERATION_PER_MINUTE: '100000000',
    EXPOSURES_PER_USER_PER_MINUTE: '100000',
    DB_POOL_MAX: '10',
    // A storm queues hundreds of requests for ten connections: measured, not refused with 503.
    DB_CONNECT_TIMEOUT_MS: '60000',
    REQUEST_TIMEOUT_MS: '60000',
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  return {
    app,
    base,
    databaseUrl: url.toString(),
    async close() {
      await app.close();
      await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
      await embedded?.stop();
    },
  };
}

/** A business (public.biz_entity) and a token of an admin of it. */
export async function createBusiness(bench) {
  const bizEntityId = randomUUID();
  await withClient(bench.databaseUrl, (c) => c.query('INSERT INTO public.biz_entity (id) VALUES ($1)', [bizEntityId]));
  const admin = await signToken({ sub: randomUUID(), roles: ['admin'], biz: [bizEntityId] });
  return { bizEntityId, admin };
}

export function signToken(claims) {
  return signHs256Token(BENCH_SECRET, claims, 3600);
}

export async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The run whose `rateOf` is the median of all runs' (the closest one, for an even count). */
export function medianRun(runs, rateOf) {
  const rate = median(runs.map(rateOf));
  return runs.reduce((best, run) => (Math.abs(rateOf(run) - rate) < Math.abs(rateOf(best) - rate) ? run : best));
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs bench/load.mjs (autocannon) on `plan` in its own process and returns its JSON report. */
export async function runLoad(plan) {
  const dir = await mkdtemp(join(tmpdir(), 'scheduler-load-'));
  const file = join(dir, 'plan.json');
  await writeFile(file, JSON.stringify(plan));
  try {
    const out = await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [fileURLToPath(new URL('./load.mjs', import.meta.url)), file], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let text = '';
      child.stdout.on('data', (chunk) => (text += chunk));
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`bench/load.mjs exited ${code}`))));
    });
    return JSON.parse(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `count` users in public.auth_user, each with a token. */
export async function createUsers(databaseUrl, count) {
  const { rows } = await withClient(databaseUrl, (c) =>
    c.query('INSERT INTO public.auth_user (id) SELECT gen_random_uuid() FROM generate_series(1, $1) RETURNING id', [count]),
  );
  return Promise.all(rows.map(async ({ id }) => ({ id, token: await signToken({ sub: id }) })));
}

export function machine() {
  const list = cpus();
  return `${list.length} × ${list[0]?.model ?? 'cpu'}, Node ${process.version}`;
}

export async function api(base, method, path, token, body, headers = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** A location in Europe/London with `people` people, each available 08:00–16:00 daily in 15-minute slots (32 a day) of `capacity` places. */
export async function seedLocation(bench, token, bizEntityId, people, policy = {}, capacity = 1) {
  const location = await api(bench.base, 'POST', '/v1/admin/locations', token, {
    bizEntityId,
    name: `Bench ${randomBytes(3).toString('hex')}`,
    timezone: 'Europe/London',
    policy,
  });
  for (let i = 0; i < people; i += 1) {
    const person = await api(bench.base, 'POST', '/v1/admin/people', token, { locationId: location.id, name: `P${i}` });
    // 08:00–16:00 in 15-minute slots: 32 a day, every day.
    await api(bench.base, 'POST', '/v1/admin/availability-rules', token, {
      personId: person.id,
      kind: 'weekly',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      startTime: '08:00',
      endTime: '16:00',
      slotMinutes: 15,
      capacity,
    });
  }
  return location.id;
}

