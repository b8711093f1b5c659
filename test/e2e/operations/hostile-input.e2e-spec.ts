import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { randomUUID } from 'node:crypto';
import { countRows, createBusiness, locationBody } from '../../factories/factories';
import { startTestApp, TestApp, token } from '../../utils/test-app';

describe('bodies with prototype keys', () => {
  let t: TestApp;
  let biz: string;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    biz = await createBusiness(t.db);
    admin = await token({ roles: ['admin'], biz: [biz] });
  });

  it.each([
    ['__proto__', '{"__proto__": {"active": false}}', '__proto__'],
    ['constructor, nested', '{"policy": {"constructor": {"prototype": {"x": 1}}}}', 'policy.constructor'],
    ['prototype, inside an array', '{"tags": [{"prototype": 1}]}', 'tags.0.prototype'],
  ])('refuses %s with a 400 naming the key, and writes nothing', async (_case, extra, field) => {
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

  it('refuses them on the public API too, before the Idempotency-Key is spent', async () => {
    const user = await token();
    const key = randomUUID();
    const res = await t.api.post('/v1/bookings', { token: user, rawBody: `{"slotId": "${randomUUID()}", "__proto__": {}}`, headers: { 'Idempotency-Key': key } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: '__proto__', message: '"__proto__" is not allowed as a property name' }]);
    expect(await countRows(t.db, 'scheduler.idempotency_keys', 'key = $1', [key])).toBe(0);
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
