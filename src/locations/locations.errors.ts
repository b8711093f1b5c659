import { DomainError, notFound, validationFailed } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';

export const LocationErrors = {
  notFound: (): DomainError => notFound('The location'),
  foreignBusiness: (bizEntityId: string): DomainError =>
    new DomainError(ErrorCode.FORBIDDEN, `Your token may not administer business ${bizEntityId}.`),
  hasLiveBookings: (what: string): DomainError =>
    new DomainError(ErrorCode.HAS_LIVE_BOOKINGS, `The location has live future bookings and cannot ${what}; cancel or move them first.`),
  exposureBounds: (field: 'personMin' | 'locationMin', min: number, max: number): DomainError =>
    validationFailed([{ field: `policy.exposure.${field}`, message: `must not exceed the maximum (${min} > ${max})` }]),
};
