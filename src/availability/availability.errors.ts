import { DomainError, FieldError, notFound, validationFailed } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';

export const AvailabilityErrors = {
  notFound: (): DomainError => notFound('The availability rule'),
  badShape: (errors: FieldError[]): DomainError => validationFailed(errors),
  conflict: (conflictingRuleIds: string[]): DomainError =>
    new DomainError(
      ErrorCode.RULE_CONFLICT,
      `The window overlaps ${conflictingRuleIds.length} other rule(s) of this person on a shared date.`,
      { conflictingRuleIds },
    ),
};
