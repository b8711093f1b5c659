import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, validationFailed } from '../errors/domain-error';
import { metadataKeyOf } from './metadata';

/** Strict DTOs: unknown properties are refused, values converted to their declared types. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    // The value is kept to tell a missing field from a wrong one; it never reaches a response.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}

/**
 * One entry per failing field. Optional fields skip validation when missing, so a missing field
 * that fails is a required one: it says so, instead of naming the format it would have had.
 */
function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const constraints = Object.entries(error.constraints ?? {});
    // class-validator records the value it checked, even when absent; the pipe's own "object is expected" records none.
    const missing = Object.prototype.hasOwnProperty.call(error, 'value') && error.value === undefined;
    const own =
      missing && constraints.length > 0
        ? [{ field, message: 'is required' }]
        : constraints.map(([constraint, message]) => {
            // A metadata error is about one key: the field names it (`metadata.colour`).
            const key = metadataKeyOf(constraint, error.value);
            return {
              field: key === undefined ? field : `${field}.${key}`,
              message: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
            };
          });
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
