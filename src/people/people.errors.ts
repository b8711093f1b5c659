import { DomainError, notFound } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';

export const PeopleErrors = {
  notFound: (): DomainError => notFound('The person'),
  locationNotFound: (): DomainError => notFound('The location'),
  notAtLocation: (ids: string[]): DomainError =>
    new DomainError(ErrorCode.NOT_FOUND, `No person ${ids.join(', ')} works at this location.`, { personIds: ids }),
};
