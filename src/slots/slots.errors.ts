import { DomainError, notFound, validationFailed } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';
import { MAX_GENERATION_DAYS } from './dto/slot-generation.dto';

export const SlotErrors = {
  notFound: (): DomainError => notFound('The slot'),
  rangeReversed: (): DomainError => validationFailed([{ field: 'to', message: 'must not be before from' }]),
  rangeTooLong: (days: number): DomainError =>
    validationFailed([{ field: 'to', message: `must be at most ${MAX_GENERATION_DAYS} days from from (got ${days})` }]),
  belowBooked: (booked: number): DomainError =>
    new DomainError(ErrorCode.HAS_LIVE_BOOKINGS, `Live bookings take ${booked} seat(s) of the slot; its capacity cannot go below that.`, {
      booked,
    }),
  retired: (): DomainError =>
    new DomainError(ErrorCode.SLOT_UNAVAILABLE, 'A retired slot cannot change; generate slots again to bring it back.'),
};
