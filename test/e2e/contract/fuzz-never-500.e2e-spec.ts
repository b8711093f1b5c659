import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request, { Response } from 'supertest';
import { parse } from 'yaml';
import { acceptedBodies, buildWorld, COUNT_ROWS, COUNTED_TABLES, hoursFromNow, isoDay, kindOfField, kindOfPathParameter, Kind, World } from '../../factories/world';
import type { CallOptions } from '../../utils/contract';
import { startIsolatedTestApp, TestApp, token } from '../../utils/test-app';

/**
 * "Never a 500" (API.md §Conventions, §Error codes) for every operation of docs/openapi.yaml.
 * Random path ids, query strings, bodies, callers and Idempotency-Keys must be answered below
 * 500; every 4xx is a problem document; and a 4xx writes no row, whatever the method
 * (idempotency_keys aside: some refusals are recorded so that a retried key replays them).
 * Requests come in two flavours: plausible ones (accepted bodies slightly changed, documented
 * parameters, existing ids) that reach the business rules, and hostile ones (junk anywhere)
 * that exercise the edges of validation.
 *
 * Every answer's status must be documented on its operation, and a problem's `code` must be one
 * the document lists for that status (bodies are checked in full by ContractClient in the other
 * suites); a failure prints the seed, the request and the answer.
 */

const SEED = 20260308;
const RUNS_PER_OPERATION = 25;

// ---------------------------------------------------------------------------------------------
// The operations, read from the committed contract
// ---------------------------------------------------------------------------------------------

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

interface Operation {
  method: Method;
  template: string;
  parameters: Parameter[];
  body?: Schema;
  /** The public POSTs, which the API refuses without an Idempotency-Key. */
  keyRequired: boolean;
  admin: boolean;
}

interface DocumentedResponse {
  $ref?: string;
  content?: Record<string, { schema?: { allOf?: [unknown, { properties: { code: { enum: string[] } } }] } }>;
}

const DOCUMENT = parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'openapi.yaml'), 'utf8')) as {
  paths: Record<
    string,
    Partial<Record<Method, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> }; responses: Record<string, DocumentedResponse> }>>
  >;
  components: { schemas: Record<string, Schema>; responses: Record<string, DocumentedResponse> };
};

/** The problem codes the document lists for this status of the operation; undefined when the status is not documented. */
function documentedCodes(operation: Operation, status: number): string[] | undefined {
  const declared = DOCUMENT.paths[operation.template][operation.method]!.responses[String(status)];
  if (!declared) return undefined;
  const response = declared.$ref ? DOCUMENT.components.responses[declared.$ref.replace('#/components/responses/', '')] : declared;
  return response.content?.['application/problem+json']?.schema?.allOf?.[1].properties.code.enum ?? [];
}

const OPERATIONS: Operation[] = Object.entries(DOCUMENT.paths).flatMap(([template, item]) =>
  (['get', 'post', 'patch', 'put', 'delete'] as const).flatMap((method): Operation[] => {
    const doc = item[method];
    if (!doc) return [];
    const parameters = doc.parameters ?? [];
    return [
      {
        method,
        template,
        parameters,
        body: doc.requestBody?.content['application/json']?.schema,
        keyRequired: parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key' && p.required === true),
        admin: template.startsWith('/v1/admin/'),
      },
    ];
  }),
);

function resolve(schema: Schema): Schema {
  if (schema.$ref) return resolve(DOCUMENT.components.schemas[schema.$ref.replace('#/components/schemas/', '')]);
  if (schema.allOf?.length === 1) return resolve(schema.allOf[0]);
  return schema;
}

// ---------------------------------------------------------------------------------------------
// The world the requests land in
// ---------------------------------------------------------------------------------------------

type Caller = keyof World['tokens'] | 'nobody' | 'garbage';

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD rather than throwing). */
function encode(text: string): string {
  return Array.from(Buffer.from(text, 'utf8'))
    .map((byte) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

/** Sent as-is in a path segment or query value: broken escapes, NULs, dot segments. */
const rawJunk = fc.constantFrom(
  '%00',
  'a%00b',
  '%',
  '%zz',
  '%E0%A4%A',
  '%ED%A0%80',
  '%C0%AF',
  '..',
  '%2e%2e',
  '%2F',
  '%20',
  '+',
  'null',
  'undefined',
  'NaN',
  '1e309',
  '-1',
  '0',
  'true',
  '%7Bid%7D',
  '%3B',
);

const text = fc.oneof(
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  // Any code point, lone surrogates included.
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\u202e', '\ud800', 'a\udfffb', '😀', 'ｆｕｌｌ', "'; DROP TABLE x; --", '$where', '../etc/passwd', 'a@b.c\ud800'),
  },
  // Long, yet below Node's 16 KB limit on the request line once percent-encoded.
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 200, max: 4000 }).map((n) => 'x'.repeat(n)), fc.integer({ min: 100, max: 300 }).map((n) => 'é'.repeat(n))) },
);

const uuidLike = fc.oneof(
  fc.uuid(),
  fc.uuid().map((id) => id.toUpperCase()),
  fc.uuid().map((id) => `{${id}}`),
  fc.uuid().map((id) => id.replace(/-/g, '')),
  fc.uuid().map((id) => `${id}0`),
  fc.uuid().map((id) => id.slice(1)),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '12345678-1234-1234-1234-123456789012'),
);

/** Any JSON value, weighted towards what validators meet least often. */
const wild: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: text },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(null, true, 0, -0, -1, 0.5, 2 ** 53 + 1, -(2 ** 63), Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e21, '', [], {}, [null], { $gt: '' }),
  },
);

const anyDate = fc.date({ noInvalidDate: true, min: new Date(-8.64e15), max: new Date(8.64e15) });

const dateText = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -30, max: 30 }).map(isoDay) },
  { weight: 1, arbitrary: anyDate.map((d) => d.toISOString().slice(0, 10)) },
  { weight: 1, arbitrary: anyDate.map((d) => d.toISOString()) },
  { weight: 1, arbitrary: fc.constantFrom('2026-02-30', '2026-13-01', '2026-00-10', '0000-01-01', '2026-1-1', '20260308', '+275760-09-13') },
);

const instantText = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -40 * 24, max: 40 * 24 }).map(hoursFromNow) },
  { weight: 1, arbitrary: anyDate.map((d) => d.toISOString()) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '2026-03-08T14:00:00',
      '2026-03-08T14:00:00+01:00',
      '2026-03-08',
      '2026-02-30T10:00:00Z',
      '2026-03-08T25:00:00Z',
      '1772978400000',
      '-271821-04-20T00:00:00.000Z',
      '+275760-09-13T00:00:00.001Z',
    ),
  },
);

const clockText = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
  fc.constantFrom('24:00', '00:00', '9:00', '09:00:00', '12:60', '-1:00'),
);

const timezoneText = fc.constantFrom('Europe/London', 'Asia/Dubai', 'UTC', 'America/St_Johns', 'Pacific/Chatham', 'Mars/Olympus', 'europe/london', '+05:00', 'Etc/GMT+14', '');

/**
 * A value for a documented field. Plausible: of its type and format, in range, an existing id
 * for uuid fields, dates near today. Hostile: ranges overshot, odd formats, and sometimes
 * anything at all.
 */
function fieldValue(world: World, raw: Schema, name: string, hostile: boolean, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(raw);
  const fitting = ((): fc.Arbitrary<unknown> => {
    if (schema.enum) return fc.constantFrom(...schema.enum);
    if (schema.format === 'uuid') return id(world, kindOfField(name), hostile);
    if (schema.format === 'date') return hostile ? dateText : fc.integer({ min: -3, max: 14 }).map(isoDay);
    if (schema.format === 'date-time') return hostile ? instantText : fc.integer({ min: -3 * 24, max: 14 * 24 }).map(hoursFromNow);
    if (schema.format === 'email') return hostile ? fc.oneof(fc.emailAddress(), text) : fc.emailAddress();
    if (/Time$/.test(name)) return hostile ? clockText : fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom('00', '30')).map(([h, m]) => `${String(h).padStart(2, '0')}:${m}`);
    if (name === 'timezone') return hostile ? timezoneText : fc.constantFrom('Europe/London', 'Asia/Dubai', 'UTC', 'America/St_Johns', 'Pacific/Chatham');
    if (name === 'weekdays' && !hostile) return fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 });
    switch (schema.type) {
      case 'integer':
      case 'number': {
        const min = schema.minimum ?? 0;
        const max = schema.maximum ?? 100;
        if (!hostile) return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
        return fc.oneof(fc.integer({ min: Math.floor(min) - 2, max: Math.ceil(max) + 2 }), fc.double({ min: min - 2, max: max + 2, noNaN: true }));
      }
      case 'boolean':
        return fc.boolean();
      case 'array': {
        const item = schema.items ? fieldValue(world, schema.items, name, hostile, depth + 1) : wild;
        return hostile ? fc.array(item, { maxLength: 9 }) : fc.uniqueArray(item, { minLength: 1, maxLength: 3 });
      }
      case 'object':
        return schema.properties && depth < 4 ? objectOf(world, schema, hostile, depth + 1) : wild;
      default:
        if (!hostile) return fc.string({ minLength: 1, maxLength: 20 });
        return schema.maxLength ? fc.oneof(text, fc.constant('y'.repeat(schema.maxLength + 1))) : text;
    }
  })();
  return fc.oneof(
    { weight: hostile ? 5 : 10, arbitrary: fitting },
    { weight: schema.nullable ? 1 : 0, arbitrary: fc.constant(null) },
    { weight: hostile ? 1 : 0, arbitrary: wild },
  );
}

/** The schema's properties, required ones mostly present; when `hostile`, sometimes unknown ones too. */
function objectOf(world: World, schema: Schema, hostile: boolean, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.entries(schema.properties ?? {}).map(([name, property]) =>
    fc.option(
      fieldValue(world, property, name, hostile, depth).map((value) => [name, value] as const),
      { freq: schema.required?.includes(name) ? 10 : 2, nil: undefined },
    ),
  );
  const unknownName = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'id', 'userId', 'status', 'createdAt', 'biz_entity_id', 'foo'), fc.string({ maxLength: 10 }));
  const extras = hostile ? fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.dictionary(unknownName, wild, { maxKeys: 2 }) }) : fc.constant({});
  return fc
    .tuple(fc.tuple(...fields), extras)
    .map(([entries, extra]) => ({ ...Object.fromEntries(entries.filter((entry) => entry !== undefined)), ...extra }));
}

function id(world: World, kind: Kind | undefined, hostile: boolean): fc.Arbitrary<string> {
  const all = Object.values(world.ids).flat();
  return fc.oneof(
    { weight: kind ? 8 : 0, arbitrary: fc.constantFrom(...(kind ? world.ids[kind] : all)) },
    { weight: 1, arbitrary: fc.constantFrom(...all) },
    { weight: 1, arbitrary: hostile ? uuidLike : fc.uuid() },
  );
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/**
 * An accepted body with documented fields set or dropped: up to two plausible changes, or (when
 * `hostile`) exactly one hostile value, so that value is the request's only fault.
 */
function mutatedExample(world: World, operation: Operation, schema: Schema, hostile: boolean): fc.Arbitrary<Record<string, unknown>> | undefined {
  const accepted = acceptedBodies(world, operation);
  const fields = Object.entries(schema.properties ?? {});
  if (accepted.length === 0 || fields.length === 0) return undefined;
  const change = fc.constantFrom(...fields).chain(([name, property]) =>
    fc.option(fieldValue(world, property, name, hostile), { freq: hostile ? 20 : 4, nil: undefined }).map((value) => [name, value] as const),
  );
  const changes = hostile ? change.map((one) => [one]) : fc.array(change, { maxLength: 2 });
  return fc.tuple(fc.constantFrom(...accepted), changes).map(([example, changes]) => {
    const body: Record<string, unknown> = { ...example };
    for (const [name, value] of changes) {
      if (value === undefined) delete body[name];
      else body[name] = value;
    }
    return body;
  });
}

type Body = { kind: 'none' } | { kind: 'json'; value: object } | { kind: 'raw'; contentType: string; text: string };

interface FuzzRequest {
  method: Method;
  url: string;
  caller: Caller;
  idempotencyKey?: string;
  body: Body;
}

function nested(depth: number, asArray: boolean): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
  return value;
}

function bodyOf(world: World, operation: Operation, hostile: boolean): fc.Arbitrary<Body> {
  const schema = operation.body ? resolve(operation.body) : undefined;
  const json = (value: object): Body => ({ kind: 'json', value });
  const none = fc.constant<Body>({ kind: 'none' });
  if (!hostile) {
    if (!schema) return none;
    const example = mutatedExample(world, operation, schema, false);
    const built = objectOf(world, schema, false);
    return (example ? fc.oneof({ weight: 3, arbitrary: example }, { weight: 1, arbitrary: built }) : built).map(json);
  }

  const raw = (body: string, contentType = 'application/json'): Body => ({ kind: 'raw', contentType, text: body });
  const someField = fc.constantFrom(...Object.keys(schema?.properties ?? { a: {} }));
  const malformed = fc.oneof(
    fc.constantFrom('{', '{"a":', '[1,2', '{"a":1,}', "{'a':1}", 'nul', 'NaN', '', ' ', '\u0000', '"\\ud800"', '[]', 'null', '"text"', '42'),
    // Numbers JSON can write but a double cannot hold.
    someField.map((field) => `{"${field}": 1e400}`),
    someField.map((field) => `{"${field}": -1e400}`),
    someField.map((field) => `{"${field}": 123456789012345678901234567890}`),
    someField.map((field) => `{"${field}": "a", "${field}": 1}`),
    fc.constant('{"__proto__": {"polluted": 1}}'),
    fc.constant('{"constructor": {"prototype": {"polluted": 1}}}'),
  );
  const contentType = fc.constantFrom(
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/merge-patch+json',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'multipart/form-data; boundary=x',
  );
  // The API refuses nesting past 32 levels; far past it, a recursive walk would overflow.
  const deep = fc.tuple(someField, fc.integer({ min: 1, max: 3000 }), fc.boolean()).map(([field, depth, asArray]) => json({ [field]: nested(depth, asArray) }));
  const singleFault = schema && mutatedExample(world, operation, schema, true);
  return fc.oneof(
    { weight: schema ? 4 : 0, arbitrary: schema ? objectOf(world, schema, true).map(json) : none },
    { weight: singleFault ? 4 : 0, arbitrary: singleFault ? singleFault.map(json) : none },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map(json) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }).map((body) => raw(body)) },
    { weight: 2, arbitrary: malformed.map((body) => raw(body)) },
    { weight: 1, arbitrary: fc.tuple(fc.json({ maxDepth: 2 }), contentType).map(([body, type]) => raw(body, type)) },
    { weight: 1, arbitrary: deep },
    { weight: schema ? 1 : 4, arbitrary: none },
  );
}

function queryValue(world: World, parameter: Parameter, hostile: boolean): fc.Arbitrary<string> {
  const fitting =
    parameter.name === 'cursor'
      ? fc.oneof(
          fc.constantFrom(...world.cursors),
          fc.tuple(instantText, id(world, undefined, hostile)).map(([at, uuid]) => Buffer.from(`${at}|${uuid}`).toString('base64url')),
          text.map((t) => Buffer.from(t).toString('base64url')),
        )
      : fieldValue(world, parameter.schema ?? {}, parameter.name, hostile).map((value) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? '')));
  return hostile ? fc.oneof({ weight: 5, arbitrary: fitting.map(encode) }, { weight: 1, arbitrary: rawJunk }) : fitting.map(encode);
}

function queryOf(world: World, operation: Operation, hostile: boolean): fc.Arbitrary<string> {
  const known = operation.parameters.filter((p) => p.in === 'query');
  if (!hostile) {
    return fc
      .subarray(known)
      .chain((chosen) => fc.tuple(...chosen.map((p) => queryValue(world, p, false).map((value) => `${p.name}=${value}`))))
      .map((pairs) => pairs.join('&'));
  }
  // Known names repeat freely; unknown and bracketed (qs-style) names are mixed in.
  const knownPair = known.length > 0 ? fc.constantFrom(...known).chain((p) => queryValue(world, p, true).map((value) => `${p.name}=${value}`)) : fc.constant('');
  const unknownName = fc.oneof(fc.constantFrom('foo', 'limit[]', 'from[$gt]', 'cursor[0]', '__proto__[x]', 'a.b', 'status', 'userId', 'bizEntityId'), text.map(encode));
  const pair = fc.oneof(
    { weight: known.length > 0 ? 5 : 0, arbitrary: knownPair },
    { weight: 1, arbitrary: fc.tuple(unknownName, fc.oneof(text.map(encode), rawJunk)).map(([name, value]) => `${name}=${value}`) },
    { weight: 1, arbitrary: fc.constantFrom('limit', 'limit=', '&', '=', '==', 'from=&from=') },
  );
  return fc.array(pair, { maxLength: 5 }).map((pairs) => pairs.join('&'));
}

const freshKey = fc.uuid();
/** Printable ASCII: may repeat within a run, so replays and IDEMPOTENCY_KEY_REUSED come up too. */
const printableKey = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 80 });
const badKey = fc.constantFrom<string | undefined>(undefined, '', 'k'.repeat(256), 'caf\u00e9', 'tab\there', '\u00ff\u00fe');

function requestFor(world: World, operation: Operation, hostile: boolean): fc.Arbitrary<FuzzRequest> {
  const placeholders = operation.template.match(/\{[^}]+\}/g) ?? [];
  const segment = (placeholder: string): fc.Arbitrary<string> => {
    const existing = id(world, kindOfPathParameter(operation.template, placeholder.slice(1, -1)), hostile);
    return hostile ? fc.oneof({ weight: 5, arbitrary: existing }, { weight: 3, arbitrary: text.map(encode) }, { weight: 2, arbitrary: rawJunk }) : existing;
  };
  const path = fc.tuple(...placeholders.map(segment)).map((values) => placeholders.reduce((url, placeholder, i) => url.replace(placeholder, values[i]), operation.template));
  const own: Caller = operation.admin ? 'admin' : 'user';
  const writes = operation.method !== 'get';
  const key = (() => {
    if (!writes) return fc.constant(undefined);
    if (!hostile) return freshKey;
    const sent = fc.oneof({ weight: 5, arbitrary: freshKey }, { weight: 3, arbitrary: printableKey }, { weight: 1, arbitrary: badKey });
    return operation.keyRequired ? sent : fc.option(sent, { freq: 2, nil: undefined });
  })();
  return fc
    .record({
      method: fc.constant(operation.method),
      url: fc.tuple(path, queryOf(world, operation, hostile)).map(([p, query]) => (query ? `${p}?${query}` : p)),
      caller: hostile ? fc.constantFrom<Caller>(own, own, own, own, 'admin', 'user', 'viewer', 'otherAdmin', 'nobody', 'garbage') : fc.constant(own),
      idempotencyKey: key,
      body: bodyOf(world, operation, hostile),
    })
    .map(described);
}

/** fast-check prints a request (counterexamples) as its one-line description. */
function described(req: FuzzRequest): FuzzRequest {
  return Object.assign(req, { [fc.toStringMethod]: () => describeRequest(req) });
}

/**
 * Requests that once answered 500, replayed before the random ones of their operation (a
 * random run finds them only with some seeds). Each is the minimal form of what fuzzing found.
 */
function regressions(world: World, operation: Operation): FuzzRequest[] {
  const [locationId] = world.ids.location;
  const [personId] = world.ids.person;
  const byOperation: Record<string, Omit<FuzzRequest, 'method'>[]> = {
    // A JSON number past the double range (1e400) in any write that carries an Idempotency-Key.
    'POST /v1/bookings': [{ url: '/v1/bookings', caller: 'user', idempotencyKey: randomUUID(), body: { kind: 'raw', contentType: 'application/json', text: '{"slotId": 1e400}' } }],
    // A lone surrogate in an email.
    'POST /v1/admin/people': [{ url: '/v1/admin/people', caller: 'admin', body: { kind: 'json', value: { locationId, name: 'Cai', email: '\ud800' } } }],
    'PATCH /v1/admin/people/{id}': [{ url: `/v1/admin/people/${personId}`, caller: 'admin', body: { kind: 'json', value: { email: 'a\ud800@example.com' } } }],
  };
  return (byOperation[`${operation.method.toUpperCase()} ${operation.template}`] ?? []).map((req) => described({ method: operation.method, ...req }));
}

/** One line per request, long runs folded: `x…(4000×)`. */
function describeRequest(req: FuzzRequest): string {
  const body =
    req.body.kind === 'none' ? '(none)' : req.body.kind === 'json' ? JSON.stringify(req.body.value) : `${req.body.contentType} ${JSON.stringify(req.body.text)}`;
  const line = `${req.method.toUpperCase()} ${req.url} as ${req.caller}, Idempotency-Key ${JSON.stringify(req.idempotencyKey)}, body ${body}`;
  return line.replace(/((?:%[0-9A-F]{2}){1,4}|\{"a":|.)\1{19,}/g, (run, unit: string) => `${unit}…(${run.length / unit.length}×)`);
}

/** API.md §Conventions: RFC 9457, a stable UPPER_SNAKE code, the type derived from it. */
function problemShapeErrors(res: Response): string[] {
  const errors: string[] = [];
  if (!/^application\/problem\+json\b/.test(String(res.headers['content-type'] ?? ''))) errors.push(`content type ${res.headers['content-type']}`);
  const body = res.body as Record<string, unknown> | undefined;
  if (typeof body !== 'object' || body === null) return [...errors, 'no JSON object body'];
  if (typeof body.code !== 'string' || !/^[A-Z]+(_[A-Z]+)*$/.test(body.code)) errors.push(`code ${JSON.stringify(body.code)}`);
  else if (body.type !== `urn:problem-type:scheduler:${body.code.toLowerCase().replace(/_/g, '-')}`) errors.push(`type ${JSON.stringify(body.type)}`);
  if (typeof body.title !== 'string' || body.title === '') errors.push(`title ${JSON.stringify(body.title)}`);
  if (typeof body.detail !== 'string') errors.push(`detail ${JSON.stringify(body.detail)}`);
  if (body.status !== res.status) errors.push(`status member ${JSON.stringify(body.status)}`);
  return errors;
}

// ---------------------------------------------------------------------------------------------
// The property
// ---------------------------------------------------------------------------------------------

describe('never a 500: random requests to every documented operation', () => {
  let t: TestApp;
  let world: World;

  // A database of its own, so the row counts see only this file's requests.
  beforeAll(async () => {
    t = await startIsolatedTestApp();
  });
  afterAll(() => t?.close());
  // Each operation starts from the same kind of world whatever ran before it, so `-t` reproduces a failure.
  beforeEach(async () => {
    world = await buildWorld(t);
  });

  async function send(req: FuzzRequest): Promise<Response> {
    let call = request(t.app.getHttpServer())[req.method](req.url);
    if (req.caller === 'garbage') call = call.set('Authorization', 'Bearer not.a.token');
    else if (req.caller !== 'nobody') call = call.set('Authorization', `Bearer ${world.tokens[req.caller]}`);
    if (req.idempotencyKey !== undefined) call = call.set('Idempotency-Key', req.idempotencyKey);
    if (req.body.kind === 'json') return call.send(req.body.value);
    if (req.body.kind === 'raw') return call.set('Content-Type', req.body.contentType).send(req.body.text);
    return call;
  }

  const rowCounts = async (): Promise<Record<string, number>> => ((await t.db.query(COUNT_ROWS)) as Record<string, number>[])[0];

  it('covers every operation of docs/openapi.yaml', () => {
    expect(OPERATIONS.length).toBeGreaterThan(30);
    expect(OPERATIONS.filter((operation) => operation.keyRequired).map((operation) => operation.template)).toEqual(
      expect.arrayContaining(['/v1/bookings', '/v1/bookings/{id}/confirm', '/v1/bookings/{id}/cancel']),
    );
  });

  it.each(OPERATIONS.map((operation, index) => [`${operation.method.toUpperCase()} ${operation.template}`, operation, index] as const))(
    '%s: answers below 500, refuses with a problem document and writes nothing when it refuses',
    async (_name, operation, index) => {
      const requests = fc.oneof({ weight: 2, arbitrary: requestFor(world, operation, false) }, { weight: 3, arbitrary: requestFor(world, operation, true) });
      await fc.assert(
        fc.asyncProperty(requests, async (req) => {
          const before = await rowCounts();
          const res = await send(req);
          const answer = `${describeRequest(req)}\n  → ${res.status} ${res.headers['content-type'] ?? ''} ${res.text?.slice(0, 400)}`;
          if (res.status >= 500) throw new Error(`server error: ${answer}`);
          const codes = documentedCodes(operation, res.status);
          if (!codes) throw new Error(`status ${res.status} is not documented on this operation: ${answer}`);
          if (res.status < 400) return;
          const shape = problemShapeErrors(res);
          if (shape.length > 0) throw new Error(`not a problem document (${shape.join('; ')}): ${answer}`);
          if (!codes.includes(res.body.code)) throw new Error(`code ${res.body.code} is not documented for ${res.status} here (${codes.join(', ')}): ${answer}`);
          const after = await rowCounts();
          const written = COUNTED_TABLES.filter((table) => after[table] !== before[table]).map((table) => `${table} ${before[table]} → ${after[table]}`);
          if (written.length > 0) throw new Error(`a ${res.status} wrote rows (${written.join(', ')}): ${answer}`);
        }),
        // A seed per operation: the same seed everywhere would send the same keys and ids in the same order.
        { seed: SEED + index, numRuns: RUNS_PER_OPERATION, examples: regressions(world, operation).map((req): [FuzzRequest] => [req]) },
      );
    },
  );
});
