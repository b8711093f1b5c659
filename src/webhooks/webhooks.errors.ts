import { DomainError, notFound, validationFailed } from '../common/errors/domain-error';
import { ErrorCode } from '../common/errors/error-code';

export const WebhookErrors = {
  notFound: (): DomainError => notFound('The webhook endpoint'),
  deliveryNotFound: (): DomainError => notFound('The delivery'),
  foreignBusiness: (bizEntityId: string): DomainError =>
    new DomainError(ErrorCode.FORBIDDEN, `Your token may not administer business ${bizEntityId}.`),
  badUrl: (message: string): DomainError => validationFailed([{ field: 'url', message }]),
};
