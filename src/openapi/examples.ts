import { encodeCursor } from '../common/http/pagination';

/**
 * The values the contract's examples use, one consistent world: a clinic in Dubai, a doctor,
 * her Monday-morning slots, one user's booking. Property examples and the booking journey's
 * operation examples (journey-examples.ts) draw on the same ids, so the documentation reads as
 * one story.
 */
export const EXAMPLE = {
  bizEntityId: '3f2b8c1e-7a4d-4e9b-9c61-0d5a2e8f4b17',
  locationId: '9b1d4c7e-2f3a-4b8c-a5d6-e7f8091a2b3c',
  personId: 'c4e8a2f6-1b3d-4f5a-8c7e-9d0b1a2c3e4f',
  otherPersonId: '2e4a6c8e-0b1d-4f3a-9c5e-7a9b1c3d5e7f',
  ruleId: '5a7c9e1b-3d5f-4a8c-b2e4-6f8a0c2e4a6b',
  otherRuleId: '1c3e5a7c-9e1b-4d3f-a5c7-e9b1d3f5a7c9',
  slotId: '0195f3a2-6b7c-7d8e-9f01-a2b3c4d5e6f7',
  bookingId: 'e1d2c3b4-a596-4877-8695-a4b3c2d1e0f9',
  userId: '7d3f5b9e-1c2a-4e6d-8f0b-3a5c7e9d1b2f',
  exposureId: 'a8b6c4d2-e0f1-4a3b-9c5d-7e9f1a3b5c7d',
  webhookId: '6c2e8a4f-9b1d-4c3e-8a5f-1d3b5c7e9a0b',
  deliveryId: '0195f3a4-1c2d-7e3f-8a4b-5c6d7e8f9a0b',
  calendarFeedId: 'f3a5c7e9-2b4d-4f6a-8c0e-1b3d5f7a9c2e',
  eventId: 'b7d9f1a3-5c7e-4a9b-8d1f-3e5a7c9b1d2f',
  auditEntryId: 'd5f7b9d1-3e5a-4c7e-9a1b-5c7e9f1b3d5a',
  /** The clinic's operator, an admin of its business. */
  operatorId: '8e0a2c4e-6b8d-4f1a-a3c5-e7f9b1d3f5a7',
  requestId: '4f6c1e0a-9b7d-4c3e-8a2f-5d1b0c9e8f7a',
  /** The event feed's position of the booking's confirmation. */
  eventSequence: 1042,
  webhookUrl: 'https://host.example.com/scheduler/webhooks',
  webhookDescription: 'Front desk app',
  /** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
  webhookSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwT5eZ3Q1m0Yk=',
  /** The secret of a calendar subscription URL: 32 random bytes in base64url. */
  calendarFeedToken: 'q7Zk3v9XbR2mN8pL4tW6yC1eH5jF0sDgA_uKoIxVnQc',
  publicBaseUrl: 'https://scheduler.example.com',
  locationName: 'Downtown clinic',
  personName: 'Dr. Amal Haddad',
  otherPersonName: 'Dr. Omar Farouk',
  email: 'amal.haddad@example.com',
  timezone: 'Asia/Dubai',
  /** Monday 9 March 2026, 09:00 in Dubai (UTC+4). */
  startsAt: '2026-03-09T05:00:00.000Z',
  endsAt: '2026-03-09T05:30:00.000Z',
  localStart: '2026-03-09T09:00',
  date: '2026-03-09',
  lastDate: '2026-03-31',
  /** When the user placed the hold, a week before. */
  createdAt: '2026-03-02T10:15:00.000Z',
  holdExpiresAt: '2026-03-02T10:20:00.000Z',
  confirmedAt: '2026-03-02T10:16:30.000Z',
  cancelledAt: '2026-03-04T08:00:00.000Z',
  windowFrom: '2026-03-02T10:14:00.000Z',
  windowTo: '2026-03-09T10:14:00.000Z',
  exposureExpiresAt: '2026-03-02T10:24:00.000Z',
} as const;

/** What a `nextCursor` looks like (opaque to clients). */
export const EXAMPLE_CURSOR = encodeCursor({ at: new Date(EXAMPLE.startsAt), id: EXAMPLE.bookingId });
