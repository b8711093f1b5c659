import { ValidateIf } from 'class-validator';

/**
 * Like `@IsOptional()`, but only a missing field skips validation: `null` is validated, and
 * so refused. Optional fields are omitted, never null, in this API (docs/decisions.md).
 */
export const IsOptionalNotNull = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);
