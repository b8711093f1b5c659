import pg from 'pg';

export default function globalTeardown() {
  return tearDown();
}

async function tearDown() {
  const { serverUrl, database } = globalThis.__schedulerTestDatabase ?? {};
  if (serverUrl && database) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  }
  await globalThis.__schedulerEmbedded?.stop();
}
