import { IANAZone } from 'luxon';
import { registerDecorator, ValidationOptions } from 'class-validator';

const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*$/;

/** An IANA zone name such as `Asia/Dubai` (fixed offsets like `+04:00` are not zones). */
export function isIanaTimeZone(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 64 && ZONE_NAME.test(value) && IANAZone.isValidZone(value);
}

export function IsIanaTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isIanaTimeZone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an IANA time zone such as Europe/London', ...options },
      validator: { validate: isIanaTimeZone },
    });
}
