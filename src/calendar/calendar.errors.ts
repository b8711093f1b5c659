import { DomainError, notFound, validationFailed } from '../common/errors/domain-error';

export const CalendarErrors = {
  bookingNotFound: (): DomainError => notFound('The booking'),
  feedNotFound: (): DomainError => notFound('The calendar feed'),
  personNotFound: (): DomainError => notFound('The person'),
  rangeReversed: (): DomainError => validationFailed([{ field: 'to', message: 'must be after from' }]),
  rangeTooLong: (days: number): DomainError => validationFailed([{ field: 'to', message: `must be at most ${days} days after from` }]),
};
