// Renders the documentation pages in headless Chromium, for `npm run smoke`: they must show
// every operation of the served contract, with nothing loaded from another origin (the pages'
// Content-Security-Policy blocks that) and no network besides this server.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--window-size=1280,900',
  // Virtual time: the page's scripts run until they are idle or this much simulated time passed.
  '--virtual-time-budget=20000',
];

function which(command) {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** Debian's chromium, installed with apt-get when it is missing (CI machines start without it). */
export function ensureChromium() {
  const present = which('chromium');
  if (present) return present;
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  if (!install()) {
    // A fresh machine may have no package lists yet.
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    if (!install()) throw new Error('could not install chromium with apt-get');
  }
  const installed = which('chromium');
  if (!installed) throw new Error('chromium is not on PATH after installing it');
  return installed;
}

/** Runs Chromium without blocking the caller's event loop (its HTTP connections stay serviced). */
function chromium(binary, args) {
  return new Promise((resolve, reject) => {
    execFile(binary, [...FLAGS, ...args], { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`chromium failed: ${error.message} ${stderr.slice(-800)}`)) : resolve(stdout),
    );
  });
}

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };

/** The page's DOM after its scripts ran, as text with the common entities decoded. */
export async function renderedDom(binary, url) {
  return (await chromium(binary, ['--dump-dom', url])).replace(/&(amp|lt|gt|quot|#39|#x27);/g, (entity) => ENTITIES[entity]);
}

/** A PNG of the page as a person would see it first. */
export async function screenshot(binary, url, directory, name) {
  mkdirSync(directory, { recursive: true });
  const file = join(directory, name);
  await chromium(binary, [`--screenshot=${file}`, url]);
  return file;
}
