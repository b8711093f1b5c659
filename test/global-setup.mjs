// Gives the whole run one fresh database: on TEST_DATABASE_URL's server when set (CI), else on an
// embedded PostgreSQL started here. Workers read its URL from SCHEDULER_TEST_DATABASE_URL.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.mjs';

export default function globalSetup() {
  return setUp();
}

async function setUp() {
  const database = `scheduler_test_${randomBytes(6).toString('hex')}`;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres({
      dataDir: await mkdtemp(join(tmpdir(), 'scheduler-test-')),
      port: await freePort(),
      persistent: false,
      fast: true,
    });
    globalThis.__schedulerEmbedded = embedded;
    serverUrl = embedded.url('postgres');
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  globalThis.__schedulerTestDatabase = { serverUrl, database };
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  process.env.SCHEDULER_TEST_DATABASE_URL = url.toString();
  process.env.SCHEDULER_TEST_SERVER_URL = serverUrl;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
