import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';

export const PeopleErrors = {
  notFound: (): DomainError => notFound('The person'),
  locationNotFound: (): DomainError => notFound('The location'),
  hasLiveBookings: (): DomainError =>
    new DomainError(ErrorCode.HAS_LIVE_BOOKINGS, 'The person has live future bookings; cancel or move them first.'),
  notAtLocation: (ids: string[]): DomainError =>
    new DomainError(ErrorCode.NOT_FOUND, `No person ${ids.join(', ')} works at this location.`, { personIds: ids }),
};
