import { registerDecorator, ValidationOptions } from 'class-validator';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `YYYY-MM-DD` naming a real calendar date (no 2026-02-30). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && year >= 1900;
}

/** `HH:mm` wall-clock time; `24:00` only where a window may end at midnight. */
export function isWallClockTime(value: unknown, allowEndOfDay = false): value is string {
  return typeof value === 'string' && (TIME.test(value) || (allowEndOfDay && value === '24:00'));
}

/** Minutes since local midnight of an `HH:mm` time (`24:00` is 1440). */
export function minutesOfDay(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a calendar date YYYY-MM-DD', ...options },
      validator: { validate: isCalendarDate },
    });
}

export function IsWallClockTime(options?: ValidationOptions & { allowEndOfDay?: boolean }): PropertyDecorator {
  const allowEndOfDay = options?.allowEndOfDay ?? false;
  return (target, propertyName) =>
    registerDecorator({
      name: 'isWallClockTime',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be a time HH:mm${allowEndOfDay ? ' (24:00 allowed)' : ''}`, ...options },
      validator: { validate: (value: unknown) => isWallClockTime(value, allowEndOfDay) },
    });
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;

/** An ISO-8601 UTC instant with `Z`, such as `2026-03-08T14:00:00.000Z`. */
export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && INSTANT.test(value) && isCalendarDate(value.slice(0, 10)) && isWallClockTime(value.slice(11, 16)) && !Number.isNaN(Date.parse(value));
}

export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isInstant',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an ISO-8601 UTC instant such as 2026-03-08T14:00:00.000Z', ...options },
      validator: { validate: isInstant },
    });
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`), inclusive of both. */
export function daysInclusive(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}
