import { ValidateBy } from 'class-validator';

/**
 * What a `text` column can store: at most `max` characters as PostgreSQL counts them (code
 * points; class-validator's `MaxLength` skips variation selectors) and no NUL, which
 * PostgreSQL refuses. Otherwise the database would refuse it, without a field error.
 */
export const IsStorableText = (max: number): PropertyDecorator =>
  ValidateBy({
    name: 'isStorableText',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && [...value].length <= max && !value.includes('\u0000'),
      defaultMessage: (args) =>
        typeof args?.value === 'string' && args.value.includes('\u0000')
          ? '$property must not contain NUL characters'
          : `$property must be shorter than or equal to ${max} characters`,
    },
  });
