// `npm start` and `npm run token` run this first: it builds only when the sources changed since
// the last build it made. The build's inputs are hashed (not their mtimes, which a checkout or
// a copy rewrites) and the digest is kept in dist/, which `nest build` empties, so a build made
// any other way is followed by one more here.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(ROOT, 'dist', '.build-inputs');
const INPUT_DIRECTORIES = ['src', 'migrations'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'nest-cli.json', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.migrations.json'];

function filesUnder(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

function inputsDigest() {
  const files = [...INPUT_DIRECTORIES.flatMap((directory) => filesUnder(join(ROOT, directory))), ...INPUT_FILES.map((file) => join(ROOT, file))]
    .map((file) => relative(ROOT, file))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(join(ROOT, file))).update('\0');
  return hash.digest('hex');
}

const digest = inputsDigest();
if (existsSync(join(ROOT, 'dist', 'main.js')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === digest) {
  console.error('dist/ is current: not rebuilding.');
} else {
  // The build's output goes to stderr: `TOKEN=$(npm run -s token …)` must capture the token alone.
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeFileSync(STAMP, digest);
}
