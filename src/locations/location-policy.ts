import type { LocationPolicyDto } from './dto/location-policy.dto';
import { LocationErrors } from './locations.errors';

/** The policy as the location row stores it, one column a field. */
export interface LocationPolicyColumns {
  holdTtlSeconds: number;
  maxActiveHoldsPerUser: number;
  minNoticeMinutes: number;
  bookingHorizonDays: number;
  cancelCutoffMinutes: number;
  requireExposure: boolean;
  /** Seats one user's booking may take; null: up to the slot's capacity. */
  maxSeatsPerBooking: number | null;
  requireCancellationReason: boolean;
  exposurePersonMin: number;
  exposurePersonMax: number;
  exposureLocationMin: number;
  exposureLocationMax: number;
}

/** API.md §Resources: the policy a location gets when its creator says nothing. */
export const DEFAULT_LOCATION_POLICY: Readonly<LocationPolicyColumns> = Object.freeze({
  holdTtlSeconds: 300,
  maxActiveHoldsPerUser: 2,
  minNoticeMinutes: 0,
  bookingHorizonDays: 90,
  cancelCutoffMinutes: 0,
  requireExposure: true,
  maxSeatsPerBooking: null,
  requireCancellationReason: false,
  exposurePersonMin: 1,
  exposurePersonMax: 3,
  exposureLocationMin: 3,
  exposureLocationMax: 5,
});

/** Fields the request names replace the current ones; the rest stay. */
export function mergePolicy(current: LocationPolicyColumns, change: LocationPolicyDto | undefined): LocationPolicyColumns {
  const exposure = change?.exposure;
  const merged: LocationPolicyColumns = {
    holdTtlSeconds: change?.holdTtlSeconds ?? current.holdTtlSeconds,
    maxActiveHoldsPerUser: change?.maxActiveHoldsPerUser ?? current.maxActiveHoldsPerUser,
    minNoticeMinutes: change?.minNoticeMinutes ?? current.minNoticeMinutes,
    bookingHorizonDays: change?.bookingHorizonDays ?? current.bookingHorizonDays,
    cancelCutoffMinutes: change?.cancelCutoffMinutes ?? current.cancelCutoffMinutes,
    requireExposure: change?.requireExposure ?? current.requireExposure,
    // null is a value here: it lifts the cap.
    maxSeatsPerBooking: change?.maxSeatsPerBooking === undefined ? current.maxSeatsPerBooking : change.maxSeatsPerBooking,
    requireCancellationReason: change?.requireCancellationReason ?? current.requireCancellationReason,
    exposurePersonMin: exposure?.personMin ?? current.exposurePersonMin,
    exposurePersonMax: exposure?.personMax ?? current.exposurePersonMax,
    exposureLocationMin: exposure?.locationMin ?? current.exposureLocationMin,
    exposureLocationMax: exposure?.locationMax ?? current.exposureLocationMax,
  };
  if (merged.exposurePersonMin > merged.exposurePersonMax) {
    throw LocationErrors.exposureBounds('personMin', merged.exposurePersonMin, merged.exposurePersonMax);
  }
  if (merged.exposureLocationMin > merged.exposureLocationMax) {
    throw LocationErrors.exposureBounds('locationMin', merged.exposureLocationMin, merged.exposureLocationMax);
  }
  return merged;
}

export function policyColumnsOf(location: LocationPolicyColumns): LocationPolicyColumns {
  return mergePolicy(location, undefined);
}
