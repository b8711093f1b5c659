import { DomainError, notFound, validationFailed } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';

export const ExposureErrors = {
  notFound: (): DomainError => notFound('The exposure'),
  windowReversed: (): DomainError => validationFailed([{ field: 'to', message: 'must be after from' }]),
  windowTooLong: (days: number): DomainError =>
    validationFailed([{ field: 'to', message: `must be at most the booking horizon (${days} days) after from` }]),
  defaultWindowPastYear9999: (): DomainError =>
    validationFailed([{ field: 'from', message: 'leaves no room for the default 7-day window before the year 10000; send to' }]),
  tooManyOffers: (perMinute: number, retryAfter: number): DomainError =>
    new DomainError(
      ErrorCode.RATE_LIMITED,
      `At most ${perMinute} new offers per minute: ask for the windows you already have, or retry in ${retryAfter} s.`,
      {},
      undefined,
      { 'Retry-After': String(retryAfter) },
    ),
  notOffered: (): DomainError =>
    new DomainError(ErrorCode.SLOT_NOT_OFFERED, 'Hold a slot from one of your live offers: browse the location or person first.'),
};
