import type { Principal } from '../common/auth/principal';
import type { LockedSlot } from './bookings.repository';

/**
 * The one hook on the hold path for `requireExposure` (DOMAIN.md §Booking states): may this
 * principal hold this slot? It throws 403 SLOT_NOT_OFFERED when not. The exposure engine
 * provides it (ExposureHoldAdmission).
 */
export abstract class HoldAdmission {
  abstract assertMayHold(principal: Principal, slot: LockedSlot): Promise<void>;
}
