// `npm run smoke`: the README's start command as a newcomer runs it — `npm start` with no
// DATABASE_URL — against a throwaway DATA_DIR. Checks readiness, the printed tokens, a restart
// that reuses the secret and the seed and does not rebuild, the banner after the startup logs,
// `npm run token`, docs/quickstart.md run as written, /docs and /redoc rendered in headless
// Chromium, a clean Ctrl-C, and the one-line config errors.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ensureChromium, renderedDom, screenshot } from './docs-render.mjs';

const DEMO_LOCATION = '00000000-0000-4000-8000-00000000a001';
const DEMO_BIZ = '00000000-0000-4000-8000-00000000b001';
const DEMO_ADMIN = '00000000-0000-4000-8000-00000000c001';
let passed = 0;
let failed = 0;

function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || !detail ? '' : `: ${detail}`}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts `npm start` in its own process group, like a terminal would, and waits for the banner. */
function startService(env) {
  const child = spawn('npm', ['start'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 120 s:\n${output}`)), 120_000);
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited early (${code}):\n${output}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, ready, exited };
}

function run(command, args, env) {
  return new Promise((resolve) => {
    execFile(command, args, { env, encoding: 'utf8' }, (error, stdout, stderr) => resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr }));
  });
}

/** Ctrl-C in a terminal signals the whole foreground process group. */
async function pressCtrlC(service) {
  process.kill(-service.child.pid, 'SIGINT');
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 20_000));
  return Promise.race([service.exited, timeout]);
}

/** Both documentation pages, rendered in headless Chromium, show every operation the contract has. */
async function renderDocumentation(binary, base, contract) {
  const summaries = Object.values(contract.paths).flatMap((item) => Object.values(item).map((operation) => operation.summary));
  for (const page of ['/docs/', '/redoc']) {
    const dom = await renderedDom(binary, `${base}${page}`);
    const missing = summaries.filter((summary) => !dom.includes(summary));
    check(`${page} renders all ${summaries.length} operations in headless Chromium`, summaries.length > 30 && missing.length === 0, `missing: ${missing.join('; ')}`);
  }
  const shots = join(tmpdir(), 'scheduler-smoke-docs');
  console.log(`     screenshots: ${await screenshot(binary, `${base}/docs/`, shots, 'docs.png')}, ${await screenshot(binary, `${base}/redoc`, shots, 'redoc.png')}`);
}

/** docs/quickstart.md's commands, run as written (but for the port), against the running API. */
async function runQuickstart(base, env) {
  const page = await readFile('docs/quickstart.md', 'utf8');
  const blocks = [...page.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]).filter((block) => !block.includes('npm start'));
  const script = blocks.join('\n').replaceAll('http://localhost:8000', base);
  const result = await run('bash', ['-euo', 'pipefail', '-c', script], env);
  const output = `${result.stdout}\n${result.stderr}`;
  const steps = [/held until \d{4}-/, /^idempotent-replayed: true/im, /^confirmed$/m, /confirmed' \]/, /^cancelled$/m, /^created [1-9]\d* slots$/m, /"slotId: is required"/];
  check(
    'docs/quickstart.md runs as written: browse, hold, replay, confirm, list, cancel, an admin setup, a refusal',
    result.code === 0 && steps.every((step) => step.test(output)),
    `exit ${result.code}, missing ${steps.filter((step) => !step.test(output)).join(' ')}:\n${output.slice(-1500)}`,
  );
}

function tokenFrom(banner, role) {
  return banner.match(new RegExp(`${role}:\\s+(\\S+)`))?.[1];
}

async function databaseStopped(port) {
  const client = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` });
  try {
    await client.connect();
    await client.end();
    return false;
  } catch {
    return true;
  }
}

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), 'scheduler-smoke-'));
  const [port, pgPort] = [await freePort(), await freePort()];
  const env = { ...process.env, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  for (const name of ['DATABASE_URL', 'AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY', 'AUTH_JWKS_URL', 'NODE_ENV', 'SEED_DEMO_DATA']) {
    delete env[name];
  }
  const base = `http://127.0.0.1:${port}`;
  try {
    // Before any server runs: installing it may take a while, and blocks this process.
    const browser = ensureChromium();
    const first = startService(env);
    const banner = await first.ready;
    check('banner prints the /docs URL', banner.includes(`http://localhost:${port}/docs`));
    const admin = tokenFrom(banner, 'admin');
    check('banner prints admin, viewer and user tokens', Boolean(admin && tokenFrom(banner, 'viewer') && tokenFrom(banner, 'user')));
    const ready = await fetch(`${base}/health/ready`);
    check('/health/ready answers 200 on the embedded database', ready.status === 200, String(ready.status));
    const docs = await fetch(`${base}/docs/`);
    check('/docs serves Swagger UI', docs.status === 200);
    await renderDocumentation(browser, base, await (await fetch(`${base}/openapi.json`)).json());
    await runQuickstart(base, env);
    const list = await fetch(`${base}/v1/admin/locations`, { headers: { authorization: `Bearer ${admin}` } });
    const body = await list.json();
    check('the admin token sees the seeded demo location', body.data?.some((l) => l.id === DEMO_LOCATION && l.timezone === 'Asia/Dubai'), JSON.stringify(body));
    const firstStop = await pressCtrlC(first);
    check('Ctrl-C stops the API', firstStop !== 'timeout', JSON.stringify(firstStop));
    check('Ctrl-C stops the embedded PostgreSQL', await databaseStopped(pgPort));

    const second = startService({ ...env, LOG_LEVEL: 'info' });
    const secondOutput = await second.ready;
    check('a restart with dist/ current does not rebuild', secondOutput.includes('dist/ is current: not rebuilding.') && !secondOutput.includes('nest build'), secondOutput.slice(0, 400));
    const started = secondOutput.indexOf('Nest application successfully started');
    check('the banner follows the startup logs', started >= 0 && started < secondOutput.indexOf('General Scheduler is listening'), secondOutput.slice(-600));
    const again = await fetch(`${base}/v1/admin/locations`, { headers: { authorization: `Bearer ${admin}` } });
    const againBody = await again.json();
    check('a restart reuses the dev secret (old token still valid)', again.status === 200, String(again.status));
    check('a restart seeds nothing twice', againBody.data?.filter((l) => l.id === DEMO_LOCATION).length === 1);
    // Not spawnSync: a blocked event loop would let the server close this process's idle keep-alive sockets unnoticed.
    const minted = await run('npm', ['run', '-s', 'token', '--', '--sub', DEMO_ADMIN, '--roles', 'admin', '--biz', DEMO_BIZ], env);
    const mintedList = await fetch(`${base}/v1/admin/locations`, { headers: { authorization: `Bearer ${minted.stdout.trim()}` } });
    check('npm run token mints an admin token with the same development secret', minted.code === 0 && mintedList.status === 200, `${minted.stderr} ${mintedList.status}`);
    check('a restart stops cleanly again', (await pressCtrlC(second)) !== 'timeout');

    const badPort = spawnSync('node', ['dist/main.js'], { env: { ...env, PORT: 'abc' }, encoding: 'utf8' });
    check('a bad variable exits 1 with one line naming it', badPort.status === 1 && /^Invalid environment variable PORT: .+\n$/.test(badPort.stderr), badPort.stderr);
    const noKey = spawnSync('node', ['dist/main.js'], { env: { ...env, NODE_ENV: 'production' }, encoding: 'utf8' });
    check(
      'production without key material refuses to start with one line',
      noKey.status === 1 && noKey.stderr.trim().split('\n').length === 1 && noKey.stderr.includes('AUTH_JWT_SECRET'),
      noKey.stderr,
    );
  } catch (error) {
    check('smoke run', false, error instanceof Error ? `${error.message}${error.cause ? ` (${error.cause})` : ''}` : String(error));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  console.log(`smoke: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

void main();
