import { DomainError, notFound } from '../common/errors/domain-error';

export const PeopleErrors = {
  notFound: (): DomainError => notFound('The person'),
  locationNotFound: (): DomainError => notFound('The location'),
};
