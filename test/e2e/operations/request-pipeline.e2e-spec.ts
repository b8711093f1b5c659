import { randomUUID } from 'node:crypto';
import { request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import request from 'supertest';
import { createBusiness, countRows, locationBody } from '../../factories/factories';
import { acceptedBodies, buildWorld, COUNT_ROWS, pathIn, World } from '../../factories/world';
import { expectProblem } from '../../utils/problem';
import { RouteOperation, ROUTE_TABLE } from '../../utils/route-table';
import { startIsolatedTestApp, startTestApp, TestApp, token } from '../../utils/test-app';

const PROBLEM = 'application/problem+json';

/** A POST with exactly these headers: HTTP clients such as supertest add a Content-Type of their own. */
async function rawPost(t: TestApp, path: string, bearer: string, body: string): Promise<{ status: number; contentType: string; body: unknown }> {
  const server = t.app.getHttpServer() as Server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']).split(';')[0], body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the request pipeline', () => {
  let t: TestApp;
  let admin: string;
  let biz: string;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    biz = await createBusiness(t.db);
    admin = await token({ roles: ['admin'], biz: [biz] });
  });

  describe('X-Request-Id', () => {
    it('echoes the id the client sent', async () => {
      const res = await request(t.app.getHttpServer()).get('/health/live').set('X-Request-Id', 'trace-abc-123');
      expect(res.headers['x-request-id']).toBe('trace-abc-123');
    });

    it('generates one when none (or an unusable one) is sent, on errors too', async () => {
      const plain = await request(t.app.getHttpServer()).get('/v1/locations');
      expect(plain.status).toBe(401);
      expect(plain.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const unusable = await request(t.app.getHttpServer()).get('/health/live').set('X-Request-Id', 'x'.repeat(300));
      expect(unusable.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('problem documents', () => {
    it('answers an unknown route with a 404 problem', async () => {
      const res = await request(t.app.getHttpServer()).get('/v1/no-such-thing');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toContain(PROBLEM);
      expect(res.body).toEqual({
        type: 'urn:problem-type:scheduler:not-found',
        title: 'The resource was not found.',
        status: 404,
        detail: 'No resource lives at this path.',
        code: 'NOT_FOUND',
      });
    });

    it('answers a body over 1 MB with 413 PAYLOAD_TOO_LARGE and writes nothing', async () => {
      const res = await t.api.post('/v1/admin/locations', {
        token: admin,
        rawBody: JSON.stringify(locationBody(biz, { name: 'x'.repeat(1024 * 1024) })),
      });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({
        type: 'urn:problem-type:scheduler:payload-too-large',
        title: 'The request body is too large.',
        status: 413,
        detail: 'The request body exceeds 1 MB.',
        code: 'PAYLOAD_TOO_LARGE',
      });
      expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz])).toBe(0);
    });

    it.each([
      ['text/plain', 'The body is text/plain; send JSON with Content-Type: application/json.'],
      ['application/x-www-form-urlencoded; charset=utf-8', 'The body is application/x-www-form-urlencoded; send JSON with Content-Type: application/json.'],
      ['application/json; charset=latin1', "The body's charset latin1 is not supported; send JSON in UTF-8."],
    ])('answers a body sent as %j with 415 UNSUPPORTED_MEDIA_TYPE naming it, and writes nothing', async (contentType, detail) => {
      const res = await t.api.post('/v1/admin/locations', { token: admin, rawBody: JSON.stringify(locationBody(biz)), contentType });
      expect(res.status).toBe(415);
      expect(res.headers['content-type']).toContain(PROBLEM);
      expect(res.body).toEqual({
        type: 'urn:problem-type:scheduler:unsupported-media-type',
        title: 'The request body is not JSON.',
        status: 415,
        detail,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      });
      expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz])).toBe(0);
    });

    it('answers a body sent without any Content-Type with 415 too', async () => {
      const res = await rawPost(t, '/v1/admin/locations', admin, JSON.stringify(locationBody(biz)));
      expect(res).toEqual({
        status: 415,
        contentType: PROBLEM,
        body: {
          type: 'urn:problem-type:scheduler:unsupported-media-type',
          title: 'The request body is not JSON.',
          status: 415,
          detail: 'The body has no Content-Type; send JSON with Content-Type: application/json.',
          code: 'UNSUPPORTED_MEDIA_TYPE',
        },
      });
      expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz])).toBe(0);
    });

    it('reads JSON-based media types such as application/merge-patch+json', async () => {
      const res = await t.api.post('/v1/admin/locations', { token: admin, rawBody: JSON.stringify(locationBody(biz)), contentType: 'application/merge-patch+json' });
      expect(res.status).toBe(201);
    });

    it('ignores a body on a GET, whatever its type', async () => {
      const res = await t.api.call('get', '/v1/admin/locations?limit=1', { token: admin, rawBody: 'not json', contentType: 'text/plain' });
      expect(res.status).toBe(200);
    });

    it('says "is required" for each missing required field, and names the format of one sent wrong', async () => {
      const missing = await t.api.post('/v1/admin/locations', { token: admin, body: { name: 'Clinic' } });
      expect(missing.status).toBe(400);
      expect(missing.body.errors).toEqual([
        { field: 'bizEntityId', message: 'is required' },
        { field: 'timezone', message: 'is required' },
      ]);
      const wrong = await t.api.post('/v1/admin/locations', { token: admin, body: { ...locationBody(biz), timezone: 'Mars/Olympus' } });
      expect(wrong.body.errors).toEqual([{ field: 'timezone', message: 'must be an IANA time zone such as Europe/London' }]);
      const nested = await t.api.post('/v1/admin/bookings/bulk-cancel', { token: admin, body: {} });
      expect(nested.body.errors.map((error: { field: string; message: string }) => `${error.field} ${error.message}`).sort()).toEqual([
        'from is required',
        'locationId is required',
        'reason is required',
        'to is required',
      ]);
    });

    it('never leaks SQL or driver text: a database refusal becomes a coded problem', async () => {
      const superadmin = await token({ roles: ['superadmin'] });
      const missingBusiness = '6f1d7a55-0000-4000-8000-000000000000';
      const res = await t.api.post('/v1/admin/locations', { token: superadmin, body: locationBody(missingBusiness) });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        type: 'urn:problem-type:scheduler:unknown-reference',
        title: 'A referenced record does not exist.',
        status: 422,
        detail: 'bizEntityId does not refer to an existing business.',
        code: 'UNKNOWN_REFERENCE',
      });
      expect(res.text).not.toMatch(/insert|violates|constraint|scheduler\./i);
    });
  });

  describe('health and metrics', () => {
    it('reports liveness and database readiness without a token', async () => {
      await request(t.app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
      const ready = await request(t.app.getHttpServer()).get('/health/ready').expect(200);
      expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    });

    it('exposes an HTTP duration histogram by route template and status', async () => {
      await t.api.get('/v1/admin/locations?limit=1', { token: admin });
      const res = await request(t.app.getHttpServer()).get('/metrics').expect(200);
      expect(res.headers['content-type']).toContain('text/plain');
      expect(res.text).toMatch(
        /http_request_duration_seconds_count\{method="GET",route="\/v1\/admin\/locations",status="200"\} [1-9]/,
      );
    });
  });
});

/**
 * The body and query pipeline is global (express.json in strict mode, the content-type guard,
 * the prototype-key guard, the whitelisting ValidationPipe), so it is proven here once, generated
 * from the route table: for every distinct request-body schema, its first operation (an operation
 * sharing a schema goes through the same pipeline); for unknown query parameters, every GET that
 * declares query parameters. Field-level validation stays in the module suites.
 */
const NOT_JSON = 'The body is not valid JSON.';
/** Bodies express.json refuses (strict mode: an object or array at the top). */
const NOT_JSON_BODIES: [string, string][] = [
  ['truncated JSON', '{"name": "Harbour",'],
  ['single-quoted JSON', "{'name': 'Harbour'}"],
  ['unquoted keys', '{name: "Harbour"}'],
  ['a trailing comma', '{"name": "Harbour",}'],
  ['trailing garbage', '{"name": "Harbour"}x'],
  ['a null body', 'null'],
  ['a string body', '"Harbour"'],
  ['a number body', '42'],
  ['a boolean body', 'true'],
  ['not JSON at all', 'name=Harbour'],
];
const name = (operation: RouteOperation): string => `${operation.method.toUpperCase()} ${operation.template}`;
const BODY_REPRESENTATIVES = ROUTE_TABLE.filter(
  (operation, index) => operation.body && ROUTE_TABLE.findIndex((other) => other.body === operation.body) === index,
);
const LISTS = ROUTE_TABLE.filter((operation) => operation.method === 'get' && operation.query.length > 0);

describe('the request pipeline, for every body schema and every query of the route table', () => {
  let t: TestApp;
  let world: World;

  // A database of its own: the row counts see only this file's requests.
  beforeAll(async () => {
    t = await startIsolatedTestApp();
    world = await buildWorld(t);
  });
  afterAll(() => t?.close());

  const bearer = (operation: RouteOperation): string => (operation.admin ? world.tokens.admin : world.tokens.user);
  const rows = (): Promise<unknown> => t.db.query(COUNT_ROWS);
  const send = (operation: RouteOperation, rawBody: string, contentType?: string) =>
    t.api.call(operation.method, pathIn(world, operation), { token: bearer(operation), rawBody, contentType, headers: { 'Idempotency-Key': randomUUID() } });

  it('covers every body schema and the lists', () => {
    expect(BODY_REPRESENTATIVES.length).toBeGreaterThanOrEqual(15);
    expect(LISTS.map(name)).toEqual(expect.arrayContaining(['GET /v1/admin/locations', 'GET /v1/bookings', 'GET /v1/admin/slots']));
  });

  const notJson = BODY_REPRESENTATIVES.flatMap((operation) => NOT_JSON_BODIES.map(([label, raw]) => [name(operation), label, operation, raw] as const));
  it.each(notJson)('%s refuses %s with 400 naming the body, and writes nothing', async (_name, _label, operation, raw) => {
    const before = await rows();
    expectProblem(await send(operation, raw), 'VALIDATION_FAILED', { detail: NOT_JSON, errors: [{ field: 'body', message: NOT_JSON }] });
    expect(await rows()).toEqual(before);
  });

  it.each(BODY_REPRESENTATIVES.map((operation) => [name(operation), operation] as const))(
    '%s refuses a body sent as text/plain with 415, and writes nothing',
    async (_name, operation) => {
      const before = await rows();
      const [body] = acceptedBodies(world, operation);
      expectProblem(await send(operation, JSON.stringify(body ?? {}), 'text/plain'), 'UNSUPPORTED_MEDIA_TYPE', 'The body is text/plain; send JSON with Content-Type: application/json.');
      expect(await rows()).toEqual(before);
    },
  );

  it.each(BODY_REPRESENTATIVES.map((operation) => [name(operation), operation] as const))(
    '%s refuses a __proto__ key with 400 naming it, and writes nothing',
    async (_name, operation) => {
      const before = await rows();
      const message = '"__proto__" is not allowed as a property name';
      expectProblem(await send(operation, '{"__proto__": {"active": false}}'), 'VALIDATION_FAILED', { detail: `__proto__: ${message}`, errors: [{ field: '__proto__', message }] });
      expect(await rows()).toEqual(before);
    },
  );

  it.each(LISTS.map((operation) => [name(operation), operation] as const))('%s refuses an unknown query parameter with 400 naming it', async (_name, operation) => {
    const path = pathIn(world, operation);
    const res = await t.api.get(`${path}${path.includes('?') ? '&' : '?'}foo=bar`, { token: bearer(operation) });
    expectProblem(res, 'VALIDATION_FAILED', { detail: 'foo: property foo should not exist', errors: [{ field: 'foo', message: 'property foo should not exist' }] });
  });
});

describe('absurd bodies', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('refuses JSON nested 5,000 levels deep with a 400 naming the body, never a 500', async () => {
    const biz = await createBusiness(t.db);
    const admin = await token({ roles: ['admin'], biz: [biz] });
    const deep = `${'{"x":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const res = await t.api.post('/v1/admin/locations', { token: admin, rawBody: deep });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'body', message: 'must not nest deeper than 32 levels' }],
    });
    expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz])).toBe(0);
  });

  it('refuses a number JSON cannot hold as a double (1e400), even before an Idempotency-Key is fingerprinted', async () => {
    const user = await token();
    const res = await t.api.post('/v1/bookings', {
      token: user,
      rawBody: '{"slotId": 1e400}',
      headers: { 'Idempotency-Key': 'fuzz-1e400' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'slotId', message: 'must be a finite number' }] });
  });

  it.each([
    ['__proto__', '{"__proto__": {"active": false}}', '__proto__'],
    ['constructor, nested', '{"policy": {"constructor": {"prototype": {"x": 1}}}}', 'policy.constructor'],
    ['prototype, inside an array', '{"tags": [{"prototype": 1}]}', 'tags.0.prototype'],
  ])('refuses a prototype property name (%s) with a 400 naming it, and writes nothing', async (_case, extra, field) => {
    const biz = await createBusiness(t.db);
    const admin = await token({ roles: ['admin'], biz: [biz] });
    const valid = JSON.stringify(locationBody(biz));
    const body = `${valid.slice(0, -1)}, ${extra.slice(1, -1)}}`;
    const res = await t.api.post('/v1/admin/locations', { token: admin, rawBody: body });
    expect(res.status).toBe(400);
    const key = field.split('.').pop();
    expect(res.body).toEqual({
      type: 'urn:problem-type:scheduler:validation-failed',
      title: 'The request is not valid.',
      status: 400,
      detail: `${field}: "${key}" is not allowed as a property name`,
      code: 'VALIDATION_FAILED',
      errors: [{ field, message: `"${key}" is not allowed as a property name` }],
    });
    expect(await countRows(t.db, 'scheduler.locations', 'biz_entity_id = $1', [biz])).toBe(0);
  });

  it('refuses prototype property names on the public API too, before the Idempotency-Key is spent', async () => {
    const user = await token();
    const key = randomUUID();
    const res = await t.api.post('/v1/bookings', { token: user, rawBody: `{"slotId": "${randomUUID()}", "__proto__": {}}`, headers: { 'Idempotency-Key': key } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: '__proto__', message: '"__proto__" is not allowed as a property name' }]);
    expect(await countRows(t.db, 'scheduler.idempotency_keys', 'key = $1', [key])).toBe(0);
  });

  it('refuses text with a lone UTF-16 surrogate instead of storing it altered or tripping a validator', async () => {
    const biz = await createBusiness(t.db);
    const admin = await token({ roles: ['admin'], biz: [biz] });
    const location = await t.api.post('/v1/admin/locations', { token: admin, body: locationBody(biz) });
    for (const field of ['email', 'name']) {
      const body = `{"locationId": "${location.body.id}", "name": "Cai", "${field}": "a\\ud800@example.com"}`;
      const res = await t.api.post('/v1/admin/people', { token: admin, rawBody: body });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field, message: 'must be valid Unicode text (no lone surrogates)' }] });
    }
    expect(await countRows(t.db, 'scheduler.people', 'biz_entity_id = $1', [biz])).toBe(0);
  });
});

describe('requests the HTTP parser refuses', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp();
    const server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  it('answers headers past the server limit with 431 HEADERS_TOO_LARGE as a problem document', async () => {
    const res = await new Promise<{ status?: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const req = httpRequest({ port, host: '127.0.0.1', path: '/v1/bookings', headers: { 'X-Padding': 'x'.repeat(20_000) } }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.connection).toBe('close');
    expect(JSON.parse(res.body)).toEqual({
      type: 'urn:problem-type:scheduler:headers-too-large',
      title: 'The request headers are too large.',
      status: 431,
      detail: 'The request headers are larger than this server accepts.',
      code: 'HEADERS_TOO_LARGE',
    });
  });

  it('answers a request that is not HTTP with a 400 problem document', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(JSON.parse(body)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: 'The request is not valid HTTP.' });
  });
});
