import { DomainError, FieldError, notFound, validationFailed } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';

export const AvailabilityErrors = {
  notFound: (): DomainError => notFound('The availability rule'),
  badShape: (errors: FieldError[]): DomainError => validationFailed(errors),
  hasLiveBookings: (): DomainError =>
    new DomainError(ErrorCode.HAS_LIVE_BOOKINGS, 'Slots of this rule hold live future bookings; cancel or move them first.'),
  conflict: (conflictingRuleIds: string[]): DomainError =>
    new DomainError(
      ErrorCode.RULE_CONFLICT,
      `The window overlaps ${conflictingRuleIds.length} other rule(s) of this person on a shared date.`,
      { conflictingRuleIds },
    ),
};
