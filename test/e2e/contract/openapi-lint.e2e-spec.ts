import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { TAGS } from '../../../src/openapi/openapi';
import { JOURNEY_OPERATIONS } from '../../../src/openapi/journey-examples';
import { startTestApp, TestApp } from '../../utils/test-app';

const ROOT = join(__dirname, '..', '..', '..');

interface Finding {
  tool: 'redocly' | 'spectral';
  rule: string;
  /** JSON pointer of what the finding is about. */
  at: string;
  message: string;
}

/**
 * What the linters may report, each with its reason. Anything else they report fails the test;
 * an entry that no longer matches anything fails it too, so the list cannot rot.
 */
const ALLOWED: (Omit<Finding, 'message'> & { reason: string })[] = [
  {
    tool: 'redocly',
    rule: 'operation-4xx-response',
    at: '#/paths/~1health~1live/get/responses',
    reason: 'A liveness probe takes no input, no token and no rate limit: it answers 200 or not at all, so it has no 4xx to document.',
  },
  {
    tool: 'redocly',
    rule: 'operation-4xx-response',
    at: '#/paths/~1health~1ready/get/responses',
    reason: 'A readiness probe answers 200 or 503 UNAVAILABLE; like liveness it takes no input that a 4xx could refuse.',
  },
  {
    tool: 'redocly',
    rule: 'info-license',
    at: '#/info',
    reason: 'The service is not published under a licence (package.json says UNLICENSED); naming one in the contract would be false.',
  },
];

/** Fractional by nature; every other number in the contract is an integer. */
const FRACTIONAL = new Set(['weight', 'staff', 'crowd', 'diversity', 'tiebreak', 'total', 'lowestOfferedTotal']);

type Json = Record<string, unknown>;

/** The linter's JSON on stdout; both exit non-zero when they find something, which is not a failure to run. */
function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [command, ...args],
      // No telemetry or update checks: the linters run offline, in CI too.
      { cwd: ROOT, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' }, timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout) => (error && !stdout ? reject(error) : resolve(stdout)),
    );
  });
}

async function redocly(file: string): Promise<Finding[]> {
  const output = JSON.parse(await run(join(ROOT, 'node_modules/@redocly/cli/bin/cli.js'), ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'json'])) as {
    problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
  };
  return output.problems.map((problem) => ({ tool: 'redocly', rule: problem.ruleId, at: problem.location[0]?.pointer ?? '', message: problem.message }));
}

async function spectral(file: string): Promise<Finding[]> {
  const stdout = await run(join(ROOT, 'node_modules/@stoplight/spectral-cli/dist/index.js'), ['lint', file, '--ruleset', join(ROOT, '.spectral.yaml'), '--format', 'json', '--quiet']);
  const results = JSON.parse(stdout.trim() === '' ? '[]' : stdout) as { code: string; message: string; path: (string | number)[] }[];
  return results.map((result) => ({
    tool: 'spectral',
    rule: result.code,
    at: `#/${result.path.map((segment) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
    message: result.message,
  }));
}

const isAllowed = (finding: Finding): boolean => ALLOWED.some((entry) => entry.tool === finding.tool && entry.rule === finding.rule && entry.at === finding.at);

describe('the served OpenAPI document, as integrators lint it', () => {
  let t: TestApp;
  let document: Json;
  let findings: Finding[];
  const directory = mkdtempSync(join(tmpdir(), 'scheduler-openapi-lint-'));

  beforeAll(async () => {
    t = await startTestApp();
    document = (await request(t.app.getHttpServer()).get('/openapi.json').expect(200)).body as Json;
    const file = join(directory, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    findings = (await Promise.all([redocly(file), spectral(file)])).flat();
  });
  afterAll(async () => {
    rmSync(directory, { recursive: true, force: true });
    await t.close();
  });

  it("passes Redocly's recommended and Spectral's oas rulesets, but for the allow-list", () => {
    expect(findings.filter((finding) => !isAllowed(finding))).toEqual([]);
  });

  it('has no allow-list entry left that matches nothing', () => {
    const stale = ALLOWED.filter((entry) => !findings.some((finding) => finding.tool === entry.tool && finding.rule === entry.rule && finding.at === entry.at));
    expect(stale).toEqual([]);
  });

  describe('beyond the rulesets', () => {
    const schemas = (): Record<string, Json> => (document.components as { schemas: Record<string, Json> }).schemas;
    const operations = (): { path: string; method: string; operation: Json }[] =>
      Object.entries(document.paths as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
        Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
      );
    const resolve = (schema: Json): Json => {
      if (typeof schema.$ref === 'string') return resolve(schemas()[schema.$ref.replace('#/components/schemas/', '')]);
      const parts = schema.allOf as Json[] | undefined;
      return parts?.length === 1 ? resolve(parts[0]) : schema;
    };
    const referencesAComponent = (schema: Json): boolean =>
      typeof schema.$ref === 'string' || ((schema.allOf as Json[] | undefined)?.length === 1 && referencesAComponent((schema.allOf as Json[])[0])) ||
      (schema.type === 'array' && referencesAComponent(schema.items as Json));
    /** Every property of every component schema, with where it is. */
    const properties = (): { where: string; name: string; schema: Json }[] =>
      Object.entries(schemas()).flatMap(([component, schema]) =>
        Object.entries((schema.properties as Record<string, Json> | undefined) ?? {}).map(([name, property]) => ({ where: `${component}.${name}`, name, schema: property })),
      );
    const parameters = (): { where: string; name: string; schema: Json; example?: unknown }[] =>
      operations().flatMap(({ path, method, operation }) =>
        ((operation.parameters as Json[] | undefined) ?? []).map((parameter) => ({
          where: `${method.toUpperCase()} ${path} ${String(parameter.in)} ${String(parameter.name)}`,
          name: String(parameter.name),
          schema: parameter.schema as Json,
          example: parameter.example,
        })),
      );

    it('declares its tags with descriptions, public ones first in the order a user meets them, and uses no other', () => {
      expect(document.tags).toEqual(TAGS.map(([name, description]) => ({ name, description })));
      const used = new Set(operations().flatMap(({ operation }) => operation.tags as string[]));
      expect([...used].filter((tag) => !TAGS.some(([name]) => name === tag))).toEqual([]);
    });

    it('gives every property and parameter an example, except objects composed of components that have theirs', () => {
      const missing = [
        ...properties().filter(({ schema }) => !('example' in schema) && !referencesAComponent(schema)).map(({ where }) => where),
        ...parameters().filter(({ schema, example }) => example === undefined && schema?.example === undefined).map(({ where }) => where),
      ];
      expect(missing).toEqual([]);
    });

    it('types every count as an integer with its bounds', () => {
      const numbers = [...properties(), ...parameters()].flatMap(({ where, name, schema }) => {
        const resolved = resolve(schema);
        const items = resolved.type === 'array' ? (resolved.items as Json) : resolved;
        if (items.type === 'number' && !FRACTIONAL.has(name)) return [`${where}: number, not integer`];
        if (items.type === 'integer' && items.minimum === undefined) return [`${where}: integer without a minimum`];
        return [];
      });
      expect(numbers).toEqual([]);
    });

    it('gives every id format uuid: properties, parameters and arrays of ids', () => {
      const ids = [...properties(), ...parameters()].filter(({ name }) => /(^id|Id|Ids)$/.test(name));
      expect(ids.length).toBeGreaterThan(40);
      const notUuid = ids.filter(({ schema }) => {
        const resolved = resolve(schema);
        return (resolved.type === 'array' ? (resolved.items as Json) : resolved).format !== 'uuid';
      });
      expect(notUuid.map(({ where }) => where)).toEqual([]);
    });

    it('carries no default in request bodies, so generated clients need no field the server defaults', () => {
      const withDefault: string[] = [];
      const visit = (schema: Json, where: string, seen: Set<string>): void => {
        if (typeof schema.$ref === 'string') {
          const name = schema.$ref.replace('#/components/schemas/', '');
          if (seen.has(name)) return;
          visit(schemas()[name], name, new Set([...seen, name]));
          return;
        }
        if ('default' in schema) withDefault.push(where);
        for (const part of (schema.allOf as Json[] | undefined) ?? []) visit(part, where, seen);
        if (schema.items) visit(schema.items as Json, `${where}[]`, seen);
        for (const [name, property] of Object.entries((schema.properties as Record<string, Json> | undefined) ?? {})) visit(property, `${where}.${name}`, seen);
      };
      const bodies = operations().filter(({ operation }) => operation.requestBody);
      expect(bodies.length).toBeGreaterThan(10);
      for (const { path, method, operation } of bodies) {
        const content = (operation.requestBody as { content: Record<string, { schema: Json }> }).content;
        for (const media of Object.values(content)) visit(media.schema, `${method.toUpperCase()} ${path}`, new Set());
      }
      expect(withDefault).toEqual([]);
    });

    it('gives the booking journey operation-level examples: browse, hold, confirm, list, cancel', () => {
      const byId = new Map(operations().map(({ operation }) => [operation.operationId as string, operation]));
      expect(JOURNEY_OPERATIONS).toEqual(['Locations_list', 'Exposures_location', 'Bookings_hold', 'Bookings_confirm', 'Bookings_list', 'Bookings_cancel']);
      for (const operationId of JOURNEY_OPERATIONS) {
        const operation = byId.get(operationId)!;
        const success = Object.entries(operation.responses as Record<string, Json>).find(([status]) => status.startsWith('2'))![1];
        expect({ operationId, examples: (success.content as Record<string, Json>)['application/json'].examples }).toEqual({ operationId, examples: { journey: expect.any(Object) } });
      }
      for (const operationId of ['Bookings_hold', 'Bookings_cancel']) {
        const body = byId.get(operationId)!.requestBody as { content: Record<string, Json> };
        expect(body.content['application/json'].examples).toEqual({ journey: expect.any(Object) });
      }
    });

    it('lists 429, 500 and 503 on every operation the rate limit and the database reach, outside /v1 too', () => {
      // Only the probes skip the rate limit; readiness alone answers 503 of them.
      const probes = ['/health/live', '/health/ready'];
      const missing = operations()
        .filter(({ path }) => !probes.includes(path))
        .flatMap(({ path, method, operation }) =>
          ['429', '500', '503'].filter((status) => !(status in (operation.responses as Json))).map((status) => `${method.toUpperCase()} ${path} ${status}`),
        );
      expect(missing).toEqual([]);
      const feed = operations().find(({ path }) => path === '/calendar-feeds/{token}/calendar.ics')!.operation;
      expect({ security: feed.security, statuses: Object.keys(feed.responses as Json) }).toEqual({ security: [], statuses: ['200', '400', '404', '429', '431', '500', '503'] });
    });

    it('serves a cancel body that is optional, as the server treats it', () => {
      const cancels = operations().filter(({ path }) => path.endsWith('/cancel') && !path.includes('bulk'));
      expect(cancels).toHaveLength(2);
      for (const { operation } of cancels) expect((operation.requestBody as Json).required).toBe(false);
    });
  });
});
