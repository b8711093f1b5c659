import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsInstant } from '../validation/calendar';
import { IsOptionalNotNull } from '../validation/optional';
import { toInteger } from '../validation/transforms';
import { validationFailed } from '../errors/domain-error';

export class PageQueryDto {
  @ApiProperty({ required: false, type: 'integer', minimum: 1, maximum: 200, default: 50, example: 50, description: 'Page size, 1–200 (default 50).' })
  @IsOptional()
  @Transform(toInteger)
  @Max(200)
  @Min(1)
  @IsInt()
  limit: number = 50;

  @ApiProperty({ required: false, maxLength: 200, example: 'MjAyNi0wMy0wOVQwNTowMDowMC4wMDBafGUxZDJjM2I0', description: 'Opaque cursor from the previous page\'s `nextCursor`; absent for the first page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/** A page of things that happen at a slot's start: `from`/`to` select starts in [from, to). */
export class SlotStartPageQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, format: 'date-time', example: '2026-03-09T00:00:00.000Z', description: 'Only those whose slot starts at or after this instant.' })
  @IsOptionalNotNull()
  @IsInstant()
  from?: string;

  @ApiProperty({ required: false, format: 'date-time', example: '2026-03-16T00:00:00.000Z', description: 'Only those whose slot starts before this instant.' })
  @IsOptionalNotNull()
  @IsInstant()
  to?: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Keyset position: lists are ordered by an instant (creation, or a slot's start), then id. */
export interface PagePosition {
  at: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Exactly what `Date.prototype.toISOString()` writes, as encodeCursor does. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeCursor(position: PagePosition): string {
  return Buffer.from(`${position.at.toISOString()}|${position.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): PagePosition | undefined {
  if (cursor === undefined) return undefined;
  const [instant, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = ISO_INSTANT.test(instant ?? '') ? new Date(instant) : new Date(Number.NaN);
  const year = at.getUTCFullYear();
  if (rest.length > 0 || !UUID.test(id ?? '') || Number.isNaN(at.getTime()) || year < 1900 || year > 9999) {
    throw validationFailed([{ field: 'cursor', message: 'is not a cursor this API issued' }]);
  }
  return { at, id };
}

const SEQUENCE_CURSOR = /^seq:(\d{1,19})$/;
const MAX_SEQUENCE = 2n ** 63n - 1n;

/** A list kept in the order its rows were written pages on the last row's sequence (a bigint), not on an instant. */
export function encodeSequenceCursor(sequence: string): string {
  return Buffer.from(`seq:${sequence}`, 'utf8').toString('base64url');
}

export function decodeSequenceCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const sequence = SEQUENCE_CURSOR.exec(Buffer.from(cursor, 'base64url').toString('utf8'))?.[1];
  if (sequence === undefined || BigInt(sequence) > MAX_SEQUENCE) {
    throw validationFailed([{ field: 'cursor', message: 'is not a cursor this API issued' }]);
  }
  return sequence;
}

/**
 * Repositories fetch `limit + 1` rows; the extra row only says whether a next page exists.
 * Rows are positioned by creation unless `positionOf` says otherwise.
 */
export function toPage<Row extends { id: string }, T>(
  rows: Row[],
  limit: number,
  map: (row: Row) => T,
  positionOf: (row: Row) => PagePosition = (row) => ({ at: (row as Row & { createdAt: Date }).createdAt, id: row.id }),
): Page<T> {
  const visible = rows.slice(0, limit);
  const last = visible[visible.length - 1];
  return { data: visible.map(map), nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last)) : null };
}
