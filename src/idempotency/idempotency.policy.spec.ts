import { idempotencyPolicy } from './idempotency.policy';

describe('idempotencyPolicy', () => {
  it.each([
    ['POST', '/v1/bookings', 'required'],
    ['POST', '/v1/bookings/7f000000-0000-4000-8000-000000000000/confirm', 'required'],
    ['PATCH', '/v1/some-future-public-resource/1', 'honoured'],
    ['POST', '/v1/admin/locations', 'honoured'],
    ['PATCH', '/v1/admin/locations/1', 'honoured'],
    ['DELETE', '/v1/admin/people/1', 'honoured'],
    ['GET', '/v1/bookings', 'none'],
    ['GET', '/v1/admin/locations', 'none'],
    ['POST', '/health/live', 'none'],
    ['post', '/v1/bookings', 'required'],
  ])('%s %s → %s', (method, path, expected) => {
    expect(idempotencyPolicy(method, path)).toBe(expected);
  });
});
