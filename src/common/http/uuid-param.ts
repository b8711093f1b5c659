import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { EXAMPLE } from '../../openapi/examples';
import { validationFailed } from '../errors/domain-error';

export type IdentifiedResource =
  | 'location'
  | 'person'
  | 'availability rule'
  | 'slot'
  | 'booking'
  | 'exposure'
  | 'webhook endpoint'
  | 'delivery'
  | 'calendar feed';

const EXAMPLE_IDS: Record<IdentifiedResource, string> = {
  location: EXAMPLE.locationId,
  person: EXAMPLE.personId,
  'availability rule': EXAMPLE.ruleId,
  slot: EXAMPLE.slotId,
  booking: EXAMPLE.bookingId,
  exposure: EXAMPLE.exposureId,
  'webhook endpoint': EXAMPLE.webhookId,
  delivery: EXAMPLE.deliveryId,
  'calendar feed': EXAMPLE.calendarFeedId,
};

/**
 * A path parameter naming a resource by its UUID; anything else is a 400 problem, not a 404 or
 * 500. It documents itself (`format: uuid`, which resource), so the contract cannot say otherwise.
 */
export const UuidParam = (name: string, resource: IdentifiedResource): ParameterDecorator => {
  const param = Param(
    name,
    new ParseUUIDPipe({
      version: undefined,
      exceptionFactory: () => validationFailed([{ field: name, message: 'must be a UUID' }]),
    }),
  );
  const documented = ApiParam({
    name,
    description: `The ${resource}'s id.`,
    schema: { type: 'string', format: 'uuid', example: EXAMPLE_IDS[resource] },
  });
  return (target, key, index) => {
    param(target, key, index);
    // Parameter decorators run before the method's own: its descriptor already holds the handler.
    if (key !== undefined) documented(target, key, Object.getOwnPropertyDescriptor(target, key)!);
  };
};
