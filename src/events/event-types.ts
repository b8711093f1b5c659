/** The events a booking's state changes produce (the outbox, the feed and webhooks share them). */
export const BOOKING_EVENT_TYPES = [
  'booking.held',
  'booking.confirmed',
  'booking.cancelled',
  'booking.expired',
  'booking.rescheduled',
  'booking.completed',
  'booking.no_show',
] as const;
export type BookingEventType = (typeof BOOKING_EVENT_TYPES)[number];

/** Sent to one endpoint on request, never written to the outbox or the feed. */
export const WEBHOOK_TEST_EVENT_TYPE = 'webhook.test';
export type WebhookEventType = BookingEventType | typeof WEBHOOK_TEST_EVENT_TYPE;

/**
 * The body of every event, on webhooks and in the feed, as the Standard Webhooks
 * specification recommends: `{ type, timestamp, data }`.
 */
export interface EventBody<Type extends WebhookEventType = WebhookEventType, Data = Record<string, unknown>> {
  type: Type;
  timestamp: string;
  data: Data;
}

export function eventBody<Type extends WebhookEventType, Data>(type: Type, occurredAt: Date, data: Data): EventBody<Type, Data> {
  return { type, timestamp: occurredAt.toISOString(), data };
}
