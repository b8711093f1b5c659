import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/app-config';

// No Docker engine is needed: these checks read the files and the build `npm test` makes first.
const ROOT = join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions in order, continuation lines joined, comments and parser directives dropped. */
function parseDockerfile(text: string): Instruction[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (pending && line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  if (pending.trim()) logical.push(pending.trim());
  return logical.map((line) => {
    const match = /^(\S+)\s*(.*)$/.exec(line)!;
    return { keyword: match[1].toUpperCase(), args: match[2].trim() };
  });
}

/** The instructions after the last FROM. */
function finalStage(instructions: Instruction[]): Instruction[] {
  const lastFrom = instructions.map((i) => i.keyword).lastIndexOf('FROM');
  return instructions.slice(lastFrom + 1);
}

/** `ENV A=1 B=2` and the legacy `ENV A 1` form; quotes around values are removed. */
function envOf(instructions: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of instructions) {
    if (keyword !== 'ENV') continue;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
      for (const pair of args.match(/[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|'[^']*'|\S*)/g) ?? []) {
        const eq = pair.indexOf('=');
        env[pair.slice(0, eq)] = pair.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2');
      }
    } else {
      const [name, ...rest] = args.split(/\s+/);
      env[name] = rest.join(' ');
    }
  }
  return env;
}

/** CMD in exec (JSON) form as an argv array; shell form is rejected so signals reach node. */
function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) {
    throw new Error(`not an exec-form array: ${args}`);
  }
  return parsed;
}

/** Compose-style `${VAR:-default}` / `${VAR:?error}` / `${VAR}` with the variable unset. */
function interpolateUnset(value: string): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-?])([^}]*))?\}/g, (_all, _name, op, word) =>
    op === '-' ? word : 'placeholder',
  );
}

/** Names from a compose `environment:` given as a mapping or as a list of `NAME=value`. */
function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  const entries: [string, unknown][] = Array.isArray(env)
    ? env.map((item) => {
        const eq = item.indexOf('=');
        return eq === -1 ? [item, ''] : [item.slice(0, eq), item.slice(eq + 1)];
      })
    : Object.entries(env);
  return Object.fromEntries(entries.map(([name, value]) => [name, value == null ? '' : String(value)]));
}

/** Container side of a short-syntax port (`8000`, `8000:8000`, `127.0.0.1:8000:8000/tcp`) or long syntax. */
function containerPort(port: string | number | { target: number | string }): string {
  if (typeof port === 'object') return String(port.target);
  return String(port).split(':').pop()!.split('/')[0];
}

interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, unknown> | string[];
  ports?: (string | number | { target: number | string })[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
  stop_grace_period?: string;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
}

describe('Docker packaging', () => {
  const dockerfile = parseDockerfile(read('Dockerfile'));
  const runtime = finalStage(dockerfile);
  const compose = parse(read('docker-compose.yml')) as ComposeFile;
  const packageJson = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
  const envExampleNames = new Set(
    read('.env.example')
      .split(/\r?\n/)
      .map((line) => /^([A-Z][A-Z0-9_]*)=/.exec(line.trim())?.[1])
      .filter((name): name is string => Boolean(name)),
  );

  describe('Dockerfile', () => {
    it('builds every stage on node:24-slim', () => {
      const stageNames = new Set<string>();
      const bases = dockerfile
        .filter((i) => i.keyword === 'FROM')
        .map((i) => {
          const [image, as, name] = i.args.replace(/--platform=\S+\s+/, '').split(/\s+/);
          if (as?.toUpperCase() === 'AS' && name) stageNames.add(name);
          return image;
        });
      expect(bases.length).toBeGreaterThanOrEqual(2);
      for (const image of bases) {
        if (!stageNames.has(image)) expect(image).toBe('node:24-slim');
      }
      expect(bases[bases.length - 1]).toBe('node:24-slim');
    });

    it('installs only production dependencies in the runtime stage', () => {
      const runs = runtime.filter((i) => i.keyword === 'RUN').map((i) => i.args);
      expect(runs.some((run) => /\bnpm ci\b.*--omit=dev/.test(run))).toBe(true);
      expect(runs.some((run) => /\bnpm (ci|install)\b(?!.*--omit=dev)/.test(run))).toBe(false);
    });

    it('copies the compiled dist/ into the runtime stage', () => {
      const copies = runtime.filter((i) => i.keyword === 'COPY').map((i) => i.args);
      expect(copies.some((copy) => /--from=\S+\s+\S*\/dist\/?\s+\S*dist\/?$/.test(copy))).toBe(true);
    });

    it('runs as a non-root user', () => {
      const users = runtime.filter((i) => i.keyword === 'USER').map((i) => i.args.split(':')[0]);
      expect(users.length).toBeGreaterThan(0);
      expect(['root', '0']).not.toContain(users[users.length - 1]);
    });

    it('sets NODE_ENV=production and PORT to the exposed port', () => {
      const env = envOf(runtime);
      const exposed = runtime.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.split(/\s+/));
      expect(env.NODE_ENV).toBe('production');
      expect(exposed.map((port) => port.split('/')[0])).toEqual([env.PORT]);
    });

    it('has a HEALTHCHECK that asks node for /health/ready', () => {
      const checks = runtime.filter((i) => i.keyword === 'HEALTHCHECK');
      expect(checks).toHaveLength(1);
      expect(checks[0].args).toMatch(/\bCMD\s+node\s/);
      expect(checks[0].args).toContain('/health/ready');
      expect(checks[0].args).not.toMatch(/\bcurl\b|\bwget\b/);
    });

    it('ends with CMD ["node", "--require", "./dist/tracing.js", "dist/main.js"], what npm run start:prod runs', () => {
      const cmds = runtime.filter((i) => i.keyword === 'CMD');
      expect(cmds.length).toBeGreaterThan(0);
      const cmd = execForm(cmds[cmds.length - 1].args);
      expect(cmd).toEqual(['node', '--require', './dist/tracing.js', 'dist/main.js']);
      expect(packageJson.scripts['start:prod'].trim().split(/\s+/)).toEqual(cmd);
    });
  });

  describe('.dockerignore', () => {
    it('keeps local state, secrets and build output out of the context', () => {
      const patterns = read('.dockerignore')
        .split(/\r?\n/)
        .map((line) => line.trim().replace(/^\/|\/$/g, ''))
        .filter((line) => line && !line.startsWith('#'));
      expect(patterns).toEqual(
        expect.arrayContaining(['node_modules', 'dist', '.data', '.git', 'coverage', '*.log', '.env']),
      );
    });
  });

  describe('docker-compose.yml', () => {
    it('parses and defines the api and postgres services', () => {
      expect(compose).toEqual(expect.objectContaining({ services: expect.any(Object) }));
      expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['api', 'postgres']));
      expect(compose.services.postgres.image).toMatch(/^postgres:16\b/);
      expect(compose.services.api.build).toBeDefined();
    });

    it('gives postgres a pg_isready healthcheck and makes api wait for it', () => {
      const check = compose.services.postgres.healthcheck;
      expect(check?.disable).not.toBe(true);
      expect([check?.test ?? []].flat().join(' ')).toContain('pg_isready');
      const dependsOn = compose.services.api.depends_on;
      expect(dependsOn).toEqual(expect.objectContaining({ postgres: expect.objectContaining({ condition: 'service_healthy' }) }));
    });

    it('sets only environment variables that .env.example documents', () => {
      const names = Object.keys(environmentOf(compose.services.api));
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((name) => !envExampleNames.has(name))).toEqual([]);
    });

    it('runs the api in production with a database URL on the postgres service and a required JWT secret', () => {
      const env = environmentOf(compose.services.api);
      expect(env.NODE_ENV).toBe('production');
      expect(env.AUTH_JWT_SECRET).toMatch(/^\$\{AUTH_JWT_SECRET:\?[^}]*\}$/);
      const url = new URL(interpolateUnset(env.DATABASE_URL));
      expect(url.protocol).toMatch(/^postgres(ql)?:$/);
      expect(url.hostname).toBe('postgres');
      const postgresEnv = environmentOf(compose.services.postgres);
      expect(url.pathname.slice(1)).toBe(postgresEnv.POSTGRES_DB ?? postgresEnv.POSTGRES_USER ?? 'postgres');
      expect(decodeURIComponent(url.username)).toBe(postgresEnv.POSTGRES_USER ?? 'postgres');
      expect(decodeURIComponent(url.password)).toBe(interpolateUnset(postgresEnv.POSTGRES_PASSWORD));
    });

    it('gives the api a stop grace period longer than its default SHUTDOWN_TIMEOUT_MS, so a drain is never cut short', () => {
      const grace = /^(\d+)s$/.exec(String(compose.services.api.stop_grace_period ?? ''));
      expect(grace).not.toBeNull();
      expect(Number(grace![1]) * 1000).toBeGreaterThan(loadConfig({}).SHUTDOWN_TIMEOUT_MS + 2000);
    });

    it('publishes the port the Dockerfile exposes and PORT names', () => {
      const exposed = runtime.filter((i) => i.keyword === 'EXPOSE').flatMap((i) => i.args.split(/\s+/));
      const published = (compose.services.api.ports ?? []).map(containerPort);
      expect(published).toEqual(exposed.map((port) => port.split('/')[0]));
      expect(published).toEqual([envOf(runtime).PORT]);
      expect(published).toEqual([environmentOf(compose.services.api).PORT]);
    });
  });

  describe('build output', () => {
    it('contains the files the Dockerfile CMD runs: the tracing preload and the entry point', () => {
      const cmds = runtime.filter((i) => i.keyword === 'CMD');
      const cmd = execForm(cmds[cmds.length - 1].args);
      const files = [cmd[cmd.indexOf('--require') + 1], cmd[cmd.length - 1]];
      expect(files).toEqual(['./dist/tracing.js', 'dist/main.js']);
      for (const file of files) {
        // tsconfig.build.json compiles src/ (rootDir) into dist/, so dist/<x> comes from src/<x>.
        const inDist = relative('dist', file);
        expect(inDist.startsWith('..')).toBe(false);
        // `npm test` builds dist/ before jest runs, exactly as the image's build stage does.
        expect(existsSync(join(ROOT, 'dist', inDist))).toBe(true);
      }
    });
  });
});
