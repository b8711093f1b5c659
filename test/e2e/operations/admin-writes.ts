import { BookingFixture, bookingFixture, insertConfirmedBooking, insertSlots } from '../../factories/bookings';
import { createRule, weeklyBody } from '../../factories/catalogue';
import { locationBody } from '../../factories/factories';
import type { Method } from '../../utils/route-table';
import type { TestApp } from '../../utils/test-app';

/** One business with one of everything an admin write can touch, made through the API. */
export interface AdminWorld extends BookingFixture {
  ruleId: string;
  /** A confirmed booking on `slotIds[0]`; `slotIds[1]` and `[2]` stay free. */
  bookingId: string;
  /** A confirmed booking on a slot that has started, for complete and no-show. */
  startedBookingId: string;
  webhookId: string;
  deliveryId: string;
  feedId: string;
}

export async function adminWorld(t: TestApp): Promise<AdminWorld> {
  const f = await bookingFixture(t, { slots: 4 });
  const as = { token: f.admin };
  const rule = await createRule(t, f.admin, weeklyBody(f.personId));
  const booking = await t.api.post('/v1/admin/bookings', { ...as, body: { slotId: f.slotIds[0], userId: f.user.id } });
  const [started] = await insertSlots(t, { ...f, count: 1, capacity: 1, startInMinutes: -30 });
  const startedBookingId = await insertConfirmedBooking(t, f, started, f.user.id);
  const webhook = await t.api.post('/v1/admin/webhooks', { ...as, body: { bizEntityId: f.bizEntityId, url: 'https://hooks.example.com/scheduler' } });
  const delivery = await t.api.post(`/v1/admin/webhooks/${webhook.body.id}/test`, as);
  const feed = await t.api.post(`/v1/admin/people/${f.personId}/calendar-feeds`, as);
  for (const response of [booking, webhook, delivery, feed]) {
    if (response.status >= 300) throw new Error(`the admin world could not be made: ${response.status} ${response.text}`);
  }
  return {
    ...f,
    ruleId: rule.id,
    bookingId: booking.body.id,
    startedBookingId,
    webhookId: webhook.body.id,
    deliveryId: delivery.body.id,
    feedId: feed.body.id,
  };
}

/** A successful request to one admin write route, and what its audit row must name. */
export interface AdminWrite {
  path: string;
  body?: Record<string, unknown>;
  target: { type: string; id?: string };
}

/**
 * A successful call of every admin write route of the contract, keyed `METHOD template`. The
 * route-driven tests fail on a route that has none, so a new admin write comes with its recipe.
 */
export const ADMIN_WRITES: Record<string, (w: AdminWorld, t: TestApp) => AdminWrite | Promise<AdminWrite>> = {
  'POST /v1/admin/locations': (w) => ({ path: '/v1/admin/locations', body: locationBody(w.bizEntityId), target: { type: 'location' } }),
  'PATCH /v1/admin/locations/{id}': (w) => ({
    path: `/v1/admin/locations/${w.locationId}`,
    body: { name: 'Renamed', policy: { holdTtlSeconds: 600 } },
    target: { type: 'location', id: w.locationId },
  }),
  // The world's location and person have a future booking, which refuses their delete: ones of their own.
  'DELETE /v1/admin/locations/{id}': async (w, t) => {
    const location = await t.api.post('/v1/admin/locations', { token: w.admin, body: locationBody(w.bizEntityId) });
    return { path: `/v1/admin/locations/${location.body.id}`, target: { type: 'location', id: location.body.id } };
  },
  'POST /v1/admin/people': (w) => ({ path: '/v1/admin/people', body: { locationId: w.locationId, name: 'Sami' }, target: { type: 'person' } }),
  'PATCH /v1/admin/people/{id}': (w) => ({ path: `/v1/admin/people/${w.personId}`, body: { weight: 3 }, target: { type: 'person', id: w.personId } }),
  'DELETE /v1/admin/people/{id}': async (w, t) => {
    const person = await t.api.post('/v1/admin/people', { token: w.admin, body: { locationId: w.locationId, name: 'Free' } });
    return { path: `/v1/admin/people/${person.body.id}`, target: { type: 'person', id: person.body.id } };
  },
  'POST /v1/admin/availability-rules': (w) => ({
    path: '/v1/admin/availability-rules',
    body: weeklyBody(w.personId, { weekdays: [2] }),
    target: { type: 'availability rule' },
  }),
  'PATCH /v1/admin/availability-rules/{id}': (w) => ({
    path: `/v1/admin/availability-rules/${w.ruleId}`,
    body: { endTime: '16:00' },
    target: { type: 'availability rule', id: w.ruleId },
  }),
  'DELETE /v1/admin/availability-rules/{id}': (w) => ({ path: `/v1/admin/availability-rules/${w.ruleId}`, target: { type: 'availability rule', id: w.ruleId } }),
  'POST /v1/admin/slot-generations': (w) => ({
    path: '/v1/admin/slot-generations',
    body: { locationId: w.locationId, from: '2027-03-01', to: '2027-03-07' },
    target: { type: 'location', id: w.locationId },
  }),
  'PATCH /v1/admin/slots/{id}': (w) => ({ path: `/v1/admin/slots/${w.slotIds[3]}`, body: { status: 'blocked' }, target: { type: 'slot', id: w.slotIds[3] } }),
  'POST /v1/admin/bookings': (w) => ({ path: '/v1/admin/bookings', body: { slotId: w.slotIds[2], userId: w.user.id }, target: { type: 'booking' } }),
  'PATCH /v1/admin/bookings/{id}': (w) => ({
    path: `/v1/admin/bookings/${w.bookingId}`,
    body: { metadata: { crmId: 'C-20931' }, notes: 'Prefers mornings' },
    target: { type: 'booking', id: w.bookingId },
  }),
  'POST /v1/admin/bookings/bulk-cancel': (w) => ({
    path: '/v1/admin/bookings/bulk-cancel',
    body: { locationId: w.locationId, from: new Date().toISOString(), to: new Date(Date.now() + 30 * 86_400_000).toISOString(), reason: 'Closed' },
    target: { type: 'location', id: w.locationId },
  }),
  'POST /v1/admin/bookings/{id}/cancel': (w) => ({ path: `/v1/admin/bookings/${w.bookingId}/cancel`, body: { reason: 'Ill' }, target: { type: 'booking', id: w.bookingId } }),
  'POST /v1/admin/bookings/{id}/reschedule': (w) => ({
    path: `/v1/admin/bookings/${w.bookingId}/reschedule`,
    body: { slotId: w.slotIds[1] },
    target: { type: 'booking', id: w.bookingId },
  }),
  'POST /v1/admin/bookings/{id}/complete': (w) => ({ path: `/v1/admin/bookings/${w.startedBookingId}/complete`, target: { type: 'booking', id: w.startedBookingId } }),
  'POST /v1/admin/bookings/{id}/no-show': (w) => ({ path: `/v1/admin/bookings/${w.startedBookingId}/no-show`, target: { type: 'booking', id: w.startedBookingId } }),
  'POST /v1/admin/webhooks': (w) => ({
    path: '/v1/admin/webhooks',
    body: { bizEntityId: w.bizEntityId, url: 'https://hooks.example.com/other' },
    target: { type: 'webhook endpoint' },
  }),
  'PATCH /v1/admin/webhooks/{id}': (w) => ({ path: `/v1/admin/webhooks/${w.webhookId}`, body: { description: 'CRM' }, target: { type: 'webhook endpoint', id: w.webhookId } }),
  'DELETE /v1/admin/webhooks/{id}': (w) => ({ path: `/v1/admin/webhooks/${w.webhookId}`, target: { type: 'webhook endpoint', id: w.webhookId } }),
  'POST /v1/admin/webhooks/{id}/rotate-secret': (w) => ({ path: `/v1/admin/webhooks/${w.webhookId}/rotate-secret`, target: { type: 'webhook endpoint', id: w.webhookId } }),
  'POST /v1/admin/webhooks/{id}/test': (w) => ({ path: `/v1/admin/webhooks/${w.webhookId}/test`, target: { type: 'webhook endpoint', id: w.webhookId } }),
  'POST /v1/admin/webhooks/{id}/deliveries/{deliveryId}/redeliver': (w) => ({
    path: `/v1/admin/webhooks/${w.webhookId}/deliveries/${w.deliveryId}/redeliver`,
    target: { type: 'webhook endpoint', id: w.webhookId },
  }),
  'POST /v1/admin/people/{id}/calendar-feeds': (w) => ({ path: `/v1/admin/people/${w.personId}/calendar-feeds`, target: { type: 'calendar feed' } }),
  'DELETE /v1/admin/people/{id}/calendar-feeds/{feedId}': (w) => ({
    path: `/v1/admin/people/${w.personId}/calendar-feeds/${w.feedId}`,
    target: { type: 'calendar feed', id: w.feedId },
  }),
};

export const routeKey = (method: Method, template: string): string => `${method.toUpperCase()} ${template}`;
