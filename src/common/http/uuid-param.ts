import { Param, ParseUUIDPipe } from '@nestjs/common';
import { validationFailed } from '../errors/domain-error';

/** A path parameter that must be a UUID; anything else is a 400 problem, not a 404 or 500. */
export const UuidParam = (name: string): ParameterDecorator =>
  Param(
    name,
    new ParseUUIDPipe({
      version: undefined,
      exceptionFactory: () => validationFailed([{ field: name, message: 'must be a UUID' }]),
    }),
  );
