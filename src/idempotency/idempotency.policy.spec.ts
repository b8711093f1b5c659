import { Controller, Post } from '@nestjs/common';
import { concretePath, idempotencyPolicy, routeTemplate } from './idempotency.policy';

describe('idempotencyPolicy', () => {
  it.each([
    ['POST', '/v1/bookings', 'required'],
    ['POST', '/v1/bookings/:id/confirm', 'required'],
    ['PATCH', '/v1/some-future-public-resource/:id', 'honoured'],
    ['POST', '/v1/admin/locations', 'honoured'],
    ['PATCH', '/v1/admin/locations/:id', 'honoured'],
    ['DELETE', '/v1/admin/people/:id', 'honoured'],
    ['GET', '/v1/bookings', 'none'],
    ['GET', '/v1/admin/locations', 'none'],
    ['POST', '/health/live', 'none'],
    ['post', '/v1/bookings', 'required'],
  ])('%s %s → %s', (method, template, expected) => {
    expect(idempotencyPolicy(method, template)).toBe(expected);
  });
});

describe('routeTemplate', () => {
  @Controller('v1/bookings')
  class BookingsLike {
    @Post()
    create(): void {}

    @Post(':id/confirm')
    confirm(): void {}
  }

  @Controller('/v1/admin/')
  class SlashedLike {
    @Post('/bulk-cancel/')
    bulk(): void {}
  }

  it('joins the controller and handler paths as declared', () => {
    expect(routeTemplate(BookingsLike, BookingsLike.prototype.create)).toBe('/v1/bookings');
    expect(routeTemplate(BookingsLike, BookingsLike.prototype.confirm)).toBe('/v1/bookings/:id/confirm');
    expect(routeTemplate(SlashedLike, SlashedLike.prototype.bulk)).toBe('/v1/admin/bulk-cancel');
  });
});

describe('concretePath', () => {
  const id = '7F000000-0000-4000-8000-00000000000A';

  it('fills the template with the ids, lower-cased, whatever the request spelled', () => {
    expect(concretePath('/v1/bookings/:id/confirm', { id }, `/V1/BOOKINGS/${id}/CONFIRM/`)).toBe(`/v1/bookings/${id.toLowerCase()}/confirm`);
  });

  it('keeps the query string as sent', () => {
    expect(concretePath('/v1/admin/slot-generations', {}, '/v1/admin/slot-generations?dry=1&b=2')).toBe('/v1/admin/slot-generations?dry=1&b=2');
  });
});
