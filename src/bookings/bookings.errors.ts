import { DomainError, notFound, validationFailed } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import type { BookingAction, BookingStatus } from './booking-status';

export const BookingErrors = {
  notFound: (): DomainError => notFound('The booking'),
  slotNotFound: (): DomainError => notFound('The slot'),
  locationNotFound: (): DomainError => notFound('The location'),
  slotUnavailable: (why: string): DomainError => new DomainError(ErrorCode.SLOT_UNAVAILABLE, why),
  slotInPast: (): DomainError => new DomainError(ErrorCode.SLOT_IN_PAST, 'The slot has already started.'),
  outsideWindow: (why: string): DomainError => new DomainError(ErrorCode.OUTSIDE_BOOKING_WINDOW, why),
  notOffered: (): DomainError =>
    new DomainError(ErrorCode.SLOT_NOT_OFFERED, 'Hold a slot from one of your live offers: browse the location or person first.'),
  holdLimit: (max: number): DomainError =>
    new DomainError(ErrorCode.HOLD_LIMIT_REACHED, `You already have ${max} live hold(s) at this location; confirm or release one first.`),
  holdExpired: (): DomainError => new DomainError(ErrorCode.HOLD_EXPIRED, 'The hold expired before it was confirmed; place a new hold.'),
  invalidTransition: (status: BookingStatus, action: BookingAction): DomainError =>
    new DomainError(ErrorCode.INVALID_TRANSITION, `A ${status} booking cannot ${action.replace('_', '-')}.`, { bookingStatus: status }),
  notStarted: (action: BookingAction): DomainError =>
    new DomainError(ErrorCode.INVALID_TRANSITION, `A booking can ${action.replace('_', '-')} only once its slot has started.`),
  rangeReversed: (): DomainError => validationFailed([{ field: 'to', message: 'must be after from' }]),
  moved: (): DomainError =>
    new DomainError(ErrorCode.SLOT_UNAVAILABLE, 'The booking was moved by another request meanwhile; reload and retry.'),
  tooLateToCancel: (minutes: number): DomainError =>
    new DomainError(ErrorCode.TOO_LATE_TO_CANCEL, `Bookings can be cancelled up to ${minutes} minute(s) before they start.`),
  tooLateToMove: (minutes: number): DomainError =>
    new DomainError(ErrorCode.TOO_LATE_TO_CANCEL, `Bookings can be moved to another slot up to ${minutes} minute(s) before they start.`),
  tooManySeats: (seats: number, maxSeats: number, what: string): DomainError =>
    new DomainError(ErrorCode.TOO_MANY_SEATS, `A party of ${seats} is more than the ${maxSeats} seat(s) ${what}.`, { maxSeats }),
  nothingToAnnotate: (): DomainError => validationFailed([{ field: 'body', message: 'must name metadata or notes (or both)' }]),
  reasonRequired: (): DomainError =>
    validationFailed([{ field: 'reason', message: "is required: this location's policy asks operators to say why they cancel" }]),
};
