/**
 * The one hook on the hold path for `requireExposure` (DOMAIN.md §Booking states): is this slot
 * in one of the user's live offers? The bookings module declares it; the exposure engine
 * provides it (its module binds `HoldAdmission`), so bookings never imports exposures.
 */
export abstract class HoldAdmission {
  abstract isOffered(userId: string, slotId: string): Promise<boolean>;
}
