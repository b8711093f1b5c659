import { DomainError } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';

export const IdempotencyErrors = {
  required: (): DomainError =>
    new DomainError(ErrorCode.IDEMPOTENCY_KEY_REQUIRED, 'Send an Idempotency-Key header with every POST of the public API.'),
  invalid: (): DomainError =>
    new DomainError(ErrorCode.IDEMPOTENCY_KEY_INVALID, 'The Idempotency-Key must be 1 to 255 printable ASCII characters.'),
  inProgress: (): DomainError =>
    new DomainError(
      ErrorCode.IDEMPOTENCY_KEY_IN_PROGRESS,
      'A request with this Idempotency-Key is still running; retry once it has finished.',
      {},
      undefined,
      { 'Retry-After': '1' },
    ),
  reused: (): DomainError =>
    new DomainError(
      ErrorCode.IDEMPOTENCY_KEY_REUSED,
      'This Idempotency-Key was already used for a different method, path or body.',
    ),
};
