import { DomainError, notFound, validationFailed } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';

export const LocationErrors = {
  notFound: (): DomainError => notFound('The location'),
  foreignBusiness: (bizEntityId: string): DomainError =>
    new DomainError(ErrorCode.FORBIDDEN, `Your token may not administer business ${bizEntityId}.`),
  exposureBounds: (field: 'personMin' | 'locationMin', min: number, max: number): DomainError =>
    validationFailed([{ field: `policy.exposure.${field}`, message: `must not exceed the maximum (${min} > ${max})` }]),
};
