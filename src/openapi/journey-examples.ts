import type { OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, RequestBodyObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { BookingDto, BookingPageDto, CancelBookingDto, CreateHoldDto } from '../bookings/dto/booking.dto';
import type { ExposureDto } from '../exposures/dto/exposure.dto';
import type { LocationDto, LocationPageDto } from '../locations/dto/location.dto';
import type { SlotDto } from '../slots/dto/slot.dto';
import { EXAMPLE, EXAMPLE_CURSOR } from './examples';

/*
 * The booking journey as a frontend meets it, one example per step, typed as the DTOs so they
 * cannot drift from the schemas: browse the locations, ask one for slots, hold one, confirm
 * the hold, list the bookings, cancel.
 */

const location: LocationDto = {
  id: EXAMPLE.locationId,
  bizEntityId: EXAMPLE.bizEntityId,
  name: EXAMPLE.locationName,
  timezone: EXAMPLE.timezone,
  active: true,
  policy: {
    holdTtlSeconds: 300,
    maxActiveHoldsPerUser: 2,
    minNoticeMinutes: 60,
    bookingHorizonDays: 90,
    cancelCutoffMinutes: 120,
    requireExposure: true,
    maxSeatsPerBooking: null,
    requireCancellationReason: false,
    exposure: { personMin: 1, personMax: 3, locationMin: 3, locationMax: 5 },
  },
  createdAt: '2026-01-12T08:00:00.000Z',
  updatedAt: '2026-02-01T09:30:00.000Z',
};

const slot = (id: string, personId: string, personName: string, startsAt: string, localStart: string): SlotDto => ({
  id,
  locationId: EXAMPLE.locationId,
  personId,
  personName,
  startsAt,
  endsAt: new Date(Date.parse(startsAt) + 30 * 60_000).toISOString(),
  localStart,
  timezone: EXAMPLE.timezone,
  capacity: 1,
  booked: 0,
  remaining: 1,
  status: 'open',
});

const exposure: ExposureDto = {
  exposureId: EXAMPLE.exposureId,
  scope: 'location',
  scopeId: EXAMPLE.locationId,
  seats: 1,
  window: { from: EXAMPLE.windowFrom, to: EXAMPLE.windowTo },
  extended: false,
  expiresAt: EXAMPLE.exposureExpiresAt,
  slots: [
    slot(EXAMPLE.slotId, EXAMPLE.personId, EXAMPLE.personName, EXAMPLE.startsAt, EXAMPLE.localStart),
    slot('0195f3a2-6b7c-7d8e-9f01-b3c4d5e6f708', EXAMPLE.otherPersonId, EXAMPLE.otherPersonName, '2026-03-09T10:30:00.000Z', '2026-03-09T14:30'),
    slot('0195f3a2-6b7c-7d8e-9f01-c4d5e6f70819', EXAMPLE.personId, EXAMPLE.personName, '2026-03-10T12:00:00.000Z', '2026-03-10T16:00'),
  ],
};

const holdRequest: CreateHoldDto = { slotId: EXAMPLE.slotId, notes: 'First visit', metadata: { channel: 'web' } };

const held: BookingDto = {
  id: EXAMPLE.bookingId,
  slotId: EXAMPLE.slotId,
  userId: EXAMPLE.userId,
  locationId: EXAMPLE.locationId,
  personId: EXAMPLE.personId,
  startsAt: EXAMPLE.startsAt,
  endsAt: EXAMPLE.endsAt,
  localStart: EXAMPLE.localStart,
  timezone: EXAMPLE.timezone,
  status: 'held',
  seats: 1,
  holdExpiresAt: EXAMPLE.holdExpiresAt,
  notes: 'First visit',
  metadata: { channel: 'web' },
  createdAt: EXAMPLE.createdAt,
};

const { holdExpiresAt: _heldUntil, ...settled } = held;
const confirmed: BookingDto = { ...settled, status: 'confirmed', confirmedAt: EXAMPLE.confirmedAt };
const cancelRequest: CancelBookingDto = { reason: 'Cannot make it that morning' };
const cancelled: BookingDto = {
  ...confirmed,
  status: 'cancelled',
  cancelReason: cancelRequest.reason,
  cancelledBy: 'user',
  cancelledAt: EXAMPLE.cancelledAt,
};

const locationPage: LocationPageDto = { data: [location], nextCursor: null };
const bookingPage: BookingPageDto = { data: [confirmed], nextCursor: EXAMPLE_CURSOR };

interface StepExamples {
  request?: { summary: string; value: object };
  responses: Record<string, { summary: string; value: object }>;
}

/** By operationId, in journey order. */
const JOURNEY: Record<string, StepExamples> = {
  Locations_list: { responses: { '200': { summary: 'The locations open for booking', value: locationPage } } },
  Exposures_location: { responses: { '200': { summary: 'Three bookable slots, listed by start, with the people they are with', value: exposure } } },
  Bookings_hold: {
    request: { summary: 'Hold an offered slot', value: holdRequest },
    responses: { '201': { summary: 'A hold, live for the location\'s holdTtlSeconds', value: held } },
  },
  Bookings_confirm: { responses: { '200': { summary: 'The hold, confirmed', value: confirmed } } },
  Bookings_list: { responses: { '200': { summary: 'The caller\'s bookings, by slot start', value: bookingPage } } },
  Bookings_cancel: {
    request: { summary: 'Cancel with a reason', value: cancelRequest },
    responses: { '200': { summary: 'The booking, cancelled', value: cancelled } },
  },
};

export const JOURNEY_OPERATIONS = Object.keys(JOURNEY);

/** Adds each step's examples to its operation's request body and responses. */
export function applyJourneyExamples(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as OperationObject[]) {
      const step = operation.operationId ? JOURNEY[operation.operationId] : undefined;
      if (!step) continue;
      const body = operation.requestBody as RequestBodyObject | undefined;
      if (step.request && body?.content['application/json']) body.content['application/json'].examples = { journey: step.request };
      for (const [status, example] of Object.entries(step.responses)) {
        const media = (operation.responses[status] as ResponseObject | undefined)?.content?.['application/json'];
        if (media) media.examples = { journey: example };
      }
    }
  }
}
