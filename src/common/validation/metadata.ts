import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import { IsOptionalNotNull } from './optional';

/** Stripe's limits (API.md): 50 keys of 1 to 40 characters, string values of up to 500. */
export const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500, changedKeys: 100 } as const;

/** Key-value pairs an integrator attaches to a resource: keys and values are strings. */
export type Metadata = Record<string, string>;
/** A change of metadata: a string sets its key, null removes it; keys not named stay. */
export type MetadataChange = Record<string, string | null>;

/** What is wrong with one metadata value: the key it is about (absent: the whole object), and why. */
export interface MetadataProblem {
  key?: string;
  message: string;
}

/** Code points, as PostgreSQL counts characters. */
const lengthOf = (text: string): number => [...text].length;

function keyProblem(key: string): string | undefined {
  if (lengthOf(key) < 1 || lengthOf(key) > METADATA_LIMITS.keyLength) return `must be a key of 1 to ${METADATA_LIMITS.keyLength} characters`;
  // Brackets would make `metadata[key]=value` on the booking list ambiguous; NUL cannot be stored.
  if (/[[\]\u0000]/.test(key)) return 'must be a key without square brackets or NUL characters';
  return undefined;
}

/**
 * What a metadata value is: stored (create bodies), a change (PATCH bodies: null removes its
 * key, up to 100 keys), or the booking list's filter (exactly one key).
 */
export type MetadataUse = 'stored' | 'change' | 'filter';

/**
 * The first thing wrong with `value` as metadata for `use`, or undefined when it is fine. The
 * one definition of the shape: every DTO that takes metadata validates through it.
 */
export function metadataProblem(value: unknown, use: MetadataUse = 'stored'): MetadataProblem | undefined {
  if (use === 'filter' && typeof value === 'string') return { message: 'must be given as metadata[key]=value' };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { message: 'must be an object of string values' };
  const entries = Object.entries(value);
  if (use === 'filter' && entries.length !== 1) return { message: 'must name exactly one key: metadata[key]=value' };
  const maxKeys = use === 'change' ? METADATA_LIMITS.changedKeys : METADATA_LIMITS.keys;
  if (entries.length > maxKeys) return { message: `must have at most ${maxKeys} keys` };
  const valueRule = `must be ${use === 'filter' ? 'one' : 'a'} string of at most ${METADATA_LIMITS.valueLength} characters${use === 'change' ? ', or null to remove the key' : ''}`;
  for (const [key, item] of entries) {
    const wrongKey = keyProblem(key);
    if (wrongKey) return { key, message: wrongKey };
    if (use === 'change' && item === null) continue;
    if (typeof item !== 'string' || lengthOf(item) > METADATA_LIMITS.valueLength) return { key, message: valueRule };
    if (item.includes('\u0000')) return { key, message: 'must not contain NUL characters' };
  }
  return undefined;
}

/** The constraint names of the validators, and the use each validates. */
const CONSTRAINTS = { isMetadata: 'stored', isMetadataChange: 'change', isMetadataFilter: 'filter' } as const satisfies Record<string, MetadataUse>;

/**
 * For the validation pipe: the key a failed metadata constraint is about, so the field error
 * names `metadata.colour` rather than `metadata`. Undefined for any other constraint.
 */
export function metadataKeyOf(constraint: string, value: unknown): string | undefined {
  return Object.hasOwn(CONSTRAINTS, constraint) ? metadataProblem(value, CONSTRAINTS[constraint as keyof typeof CONSTRAINTS])?.key : undefined;
}

const validator = (name: keyof typeof CONSTRAINTS): PropertyDecorator =>
  ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => metadataProblem(value, CONSTRAINTS[name]) === undefined,
      defaultMessage: (args) => metadataProblem(args?.value, CONSTRAINTS[name])?.message ?? 'must be metadata',
    },
  });

/** The rules every metadata property's description states. */
const SHAPE =
  `Keys: 1 to ${METADATA_LIMITS.keyLength} characters, no square brackets; values: strings of up to ${METADATA_LIMITS.valueLength} characters. ` +
  'A bad key or value is 400 VALIDATION_FAILED naming it (`metadata.<key>`). Do not store secrets or personal data here.';

const EXAMPLE_METADATA: Metadata = { crmId: 'C-20931', channel: 'phone' };

/** The schema of stored metadata, for responses and create bodies. */
const METADATA_SCHEMA = {
  type: Object,
  additionalProperties: { type: 'string', maxLength: METADATA_LIMITS.valueLength },
  maxProperties: METADATA_LIMITS.keys,
} as const;

/** `metadata` on a create body: optional, an object of up to 50 string values (never null). */
export const MetadataProperty = (description: string): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ ...METADATA_SCHEMA, required: false, example: EXAMPLE_METADATA, description: `${description} ${SHAPE}` }),
    IsOptionalNotNull(),
    validator('isMetadata'),
  );

/** `metadata` on a PATCH body: keys merge into the stored ones, null removes a key. */
export const MetadataChangeProperty = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      type: Object,
      additionalProperties: { type: 'string', nullable: true, maxLength: METADATA_LIMITS.valueLength },
      maxProperties: METADATA_LIMITS.changedKeys,
      required: false,
      example: { channel: 'walk-in', crmId: null },
      description:
        'Merged into the stored metadata: a string sets its key, null removes it, keys not named stay. ' +
        `The result may hold at most ${METADATA_LIMITS.keys} keys (400 VALIDATION_FAILED naming metadata otherwise). ${SHAPE}`,
    }),
    IsOptionalNotNull(),
    validator('isMetadataChange'),
  );

/** The admin booking list's `metadata[key]=value`: one pair, as the query parser folds it. */
export const IsMetadataFilter = (): PropertyDecorator => validator('isMetadataFilter');

/** `metadata` on a response: always an object, `{}` when none was set. */
export const MetadataResponseProperty = (options: { required?: boolean; description?: string } = {}): PropertyDecorator =>
  ApiProperty({
    ...METADATA_SCHEMA,
    required: options.required ?? true,
    example: EXAMPLE_METADATA,
    description: options.description ?? 'Your key-value pairs; {} when none are set.',
  });

/** A change as the SQL merge takes it: the keys it sets, and the keys it removes. */
export interface MetadataMerge {
  set: Metadata;
  removed: string[];
}

/** Splits a validated change into the keys it sets and the keys it removes. */
export function splitMetadataChange(change: MetadataChange): MetadataMerge {
  const entries = Object.entries(change);
  return {
    set: Object.fromEntries(entries.filter((entry): entry is [string, string] => entry[1] !== null)),
    removed: entries.filter(([, value]) => value === null).map(([key]) => key),
  };
}
