import { startTestApp, TestApp, token } from '../../utils/test-app';

// The real server when TEST_REDIS_URL is set (CI sets it), an in-process stand-in otherwise, so
// the suite passes on a machine without Redis and still runs this test.
jest.mock('ioredis', () => {
  if (process.env.TEST_REDIS_URL) return jest.requireActual('ioredis');
  const RedisMock = jest.requireActual('ioredis-mock');
  // The mock has each command as a method, but not ioredis's generic `call`, which the storage uses.
  RedisMock.prototype.call = function call(this: Record<string, (...args: unknown[]) => unknown>, command: string, ...args: unknown[]) {
    return this[command](...args);
  };
  return RedisMock;
});

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const against = process.env.TEST_REDIS_URL ? 'the Redis server at TEST_REDIS_URL' : 'ioredis-mock';

describe(`rate limits shared between instances through REDIS_URL (${against})`, () => {
  let instances: TestApp[];

  beforeAll(async () => {
    instances = [await startTestApp({ REDIS_URL, RATE_LIMIT_PER_MINUTE: '4' }), await startTestApp({ REDIS_URL, RATE_LIMIT_PER_MINUTE: '4' })];
  });
  afterAll(() => Promise.all(instances.map((t) => t.close())));

  it('lets a principal spend one budget across both instances', async () => {
    const user = await token();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await instances[i % 2].api.get('/v1/bookings', { token: user })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    // Each instance reports the shared count.
    const other = await token();
    const [a, b] = [await instances[0].api.get('/v1/bookings', { token: other }), await instances[1].api.get('/v1/bookings', { token: other })];
    expect([a.headers['ratelimit-remaining'], b.headers['ratelimit-remaining']]).toEqual(['3', '2']);
  });
});

describe('rate limits without REDIS_URL', () => {
  let instances: TestApp[];

  beforeAll(async () => {
    instances = [await startTestApp({ RATE_LIMIT_PER_MINUTE: '4' }), await startTestApp({ RATE_LIMIT_PER_MINUTE: '4' })];
  });
  afterAll(() => Promise.all(instances.map((t) => t.close())));

  it('count per instance: each one grants the whole budget', async () => {
    const user = await token();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await instances[i % 2].api.get('/v1/bookings', { token: user })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429, 429]);
  });
});
