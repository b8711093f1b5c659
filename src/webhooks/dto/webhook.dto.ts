import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, ValidateIf } from 'class-validator';
import { definedOnly } from '../../common/database/sql';
import { PageQueryDto } from '../../common/http/pagination';
import { Versioned, withVersion } from '../../common/http/preconditions';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { IsStorableText } from '../../common/validation/text';
import { BOOKING_EVENT_TYPES, WEBHOOK_TEST_EVENT_TYPE } from '../../events/event-types';
import type { BookingEventType, WebhookEventType } from '../../events/event-types';
import { EXAMPLE } from '../../openapi/examples';
import type { DeliveryRow, DeliveryStatus, WebhookEndpointRow } from '../webhooks.repository';

const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'failed'];
const DELIVERY_EVENT_TYPES: readonly WebhookEventType[] = [...BOOKING_EVENT_TYPES, WEBHOOK_TEST_EVENT_TYPE];
const NULLABLE = (_object: object, value: unknown): boolean => value !== undefined && value !== null;

export class CreateWebhookDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.bizEntityId, description: 'The business whose events the endpoint receives: one of your token\'s `biz`.' })
  @IsUUID()
  bizEntityId: string;

  @ApiProperty({
    maxLength: 2000,
    example: EXAMPLE.webhookUrl,
    description: 'Where events are POSTed: https in production, no credentials, never a loopback, private or link-local address.',
  })
  @IsStorableText(2000)
  @IsNotEmpty()
  @IsString()
  url: string;

  @ApiProperty({
    required: false,
    enum: BOOKING_EVENT_TYPES,
    isArray: true,
    minItems: 1,
    maxItems: BOOKING_EVENT_TYPES.length,
    uniqueItems: true,
    example: ['booking.confirmed', 'booking.cancelled'],
    description: 'Event types to receive; absent: all.',
  })
  @IsOptionalNotNull()
  @IsIn(BOOKING_EVENT_TYPES, { each: true })
  @ArrayUnique()
  @ArrayMaxSize(BOOKING_EVENT_TYPES.length)
  @ArrayMinSize(1)
  @IsArray()
  events?: BookingEventType[];

  @ApiProperty({ required: false, maxLength: 500, example: EXAMPLE.webhookDescription, description: 'What the endpoint is for, for operators.' })
  @IsOptionalNotNull()
  @IsStorableText(500)
  @IsString()
  description?: string;
}

export class UpdateWebhookDto {
  @ApiProperty({ required: false, maxLength: 2000, example: EXAMPLE.webhookUrl, description: 'A new receiver URL, with the same rules as on create.' })
  @IsOptionalNotNull()
  @IsStorableText(2000)
  @IsNotEmpty()
  @IsString()
  url?: string;

  @ApiProperty({
    required: false,
    nullable: true,
    enum: BOOKING_EVENT_TYPES,
    isArray: true,
    minItems: 1,
    maxItems: BOOKING_EVENT_TYPES.length,
    uniqueItems: true,
    example: ['booking.confirmed', 'booking.cancelled', 'booking.rescheduled'],
    description: 'The event types to receive from now on; null: every event type.',
  })
  @ValidateIf(NULLABLE)
  @IsIn(BOOKING_EVENT_TYPES, { each: true })
  @ArrayUnique()
  @ArrayMaxSize(BOOKING_EVENT_TYPES.length)
  @ArrayMinSize(1)
  @IsArray()
  events?: BookingEventType[] | null;

  @ApiProperty({ required: false, type: String, nullable: true, maxLength: 500, example: EXAMPLE.webhookDescription, description: 'null removes it.' })
  @ValidateIf(NULLABLE)
  @IsStorableText(500)
  @IsString()
  description?: string | null;

  @ApiProperty({ required: false, example: true, description: 'true enables a disabled endpoint again; its pending deliveries resume. false disables it.' })
  @IsOptionalNotNull()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.bizEntityId, description: 'Only the endpoints of this business.' })
  @IsOptional()
  @IsUUID()
  bizEntityId?: string;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.webhookId }) id: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.bizEntityId, description: 'The business whose events it receives.' }) bizEntityId: string;
  @ApiProperty({ example: EXAMPLE.webhookUrl, description: 'Where events are POSTed.' }) url: string;
  @ApiProperty({ required: false, example: EXAMPLE.webhookDescription }) description?: string;
  @ApiProperty({ required: false, enum: BOOKING_EVENT_TYPES, isArray: true, example: ['booking.confirmed', 'booking.cancelled'], description: 'Absent: every event type.' })
  events?: BookingEventType[];
  @ApiProperty({ example: true, description: 'false once every attempt at one event has failed (or an operator disabled it).' }) enabled: boolean;
  @ApiProperty({ required: false, format: 'date-time', example: EXAMPLE.cancelledAt, description: 'When it was disabled.' }) disabledAt?: string;
  @ApiProperty({ required: false, example: `Every attempt to deliver event ${EXAMPLE.eventId} failed.`, description: 'Why it was disabled: every attempt at one event failed, or an operator disabled it.' })
  disabledReason?: string;
  @ApiProperty({ required: false, format: 'date-time', example: EXAMPLE.confirmedAt, description: 'The last rotation; the secret before it signs too for 24 h after it.' })
  secretRotatedAt?: string;
  @ApiProperty({ format: 'date-time', example: '2026-01-12T08:00:00.000Z' }) createdAt: string;
  @ApiProperty({ format: 'date-time', example: '2026-02-01T09:30:00.000Z' }) updatedAt: string;
}

export class WebhookWithSecretDto extends WebhookDto {
  @ApiProperty({ example: EXAMPLE.webhookSecret, description: 'Shown only now: keep it to verify signatures (`whsec_` and the base64 key).' })
  secret: string;
}

export class WebhookPageDto {
  @ApiProperty({ type: [WebhookDto] }) data: WebhookDto[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as `cursor` for the next page; null on the last.' }) nextCursor: string | null;
}

export class DeliveryQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: DELIVERY_STATUSES, example: 'failed', description: 'Only the deliveries with this status.' })
  @IsOptionalNotNull()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.deliveryId }) id: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.webhookId, description: 'The endpoint it goes to.' }) webhookId: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.eventId, description: 'The webhook-id header; the same on every attempt.' }) eventId: string;
  @ApiProperty({ enum: DELIVERY_EVENT_TYPES, example: 'booking.confirmed', description: 'The event\'s type; webhook.test for a test event.' }) eventType: WebhookEventType;
  @ApiProperty({ required: false, format: 'uuid', example: EXAMPLE.bookingId, description: 'The booking the event is about (not on webhook.test).' }) bookingId?: string;
  @ApiProperty({ enum: DELIVERY_STATUSES, example: 'pending', description: 'pending until delivered (a 2xx answer), or failed once its whole retry schedule has.' })
  status: DeliveryStatus;
  @ApiProperty({ type: 'integer', minimum: 0, example: 2, description: 'Attempts made so far (in flight included).' }) attempts: number;
  @ApiProperty({ required: false, format: 'date-time', example: '2026-03-02T10:16:36.000Z' }) lastAttemptAt?: string;
  @ApiProperty({ required: false, type: 'integer', minimum: 100, maximum: 999, example: 503, description: 'The receiver\'s status code on the last attempt, when it answered.' })
  lastResponseStatus?: number;
  @ApiProperty({ required: false, example: 'HTTP 503', description: 'Why the last attempt did not count as delivered.' }) lastError?: string;
  @ApiProperty({ required: false, format: 'date-time', example: '2026-03-02T10:16:46.000Z', description: 'While pending: the next attempt (or the end of the current one\'s lease).' })
  nextAttemptAt?: string;
  @ApiProperty({ required: false, format: 'date-time', example: '2026-03-02T10:16:31.000Z', description: 'When a receiver answered 2xx.' }) deliveredAt?: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.confirmedAt, description: 'When the event was queued for this endpoint.' }) createdAt: string;
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] }) data: DeliveryDto[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Pass as `cursor` for the next page; null on the last.' }) nextCursor: string | null;
}

const iso = (at: Date | null): string | undefined => at?.toISOString();

export function toWebhookDto(row: WebhookEndpointRow): Versioned<WebhookDto> {
  const shown = definedOnly({
    id: row.id,
    bizEntityId: row.bizEntityId,
    url: row.url,
    description: row.description ?? undefined,
    events: row.eventTypes ?? undefined,
    enabled: row.enabled,
    disabledAt: iso(row.disabledAt),
    disabledReason: row.disabledReason ?? undefined,
    secretRotatedAt: iso(row.secretRotatedAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }) as WebhookDto;
  return withVersion(shown, row.version);
}

export function toDeliveryDto(row: DeliveryRow): DeliveryDto {
  return definedOnly({
    id: row.id,
    webhookId: row.endpointId,
    eventId: row.eventId,
    eventType: row.eventType,
    bookingId: row.bookingId ?? undefined,
    status: row.status,
    attempts: row.attempts,
    lastAttemptAt: iso(row.lastAttemptAt),
    lastResponseStatus: row.lastResponseStatus ?? undefined,
    lastError: row.lastError ?? undefined,
    nextAttemptAt: iso(row.nextAttemptAt),
    deliveredAt: iso(row.deliveredAt),
    createdAt: row.createdAt.toISOString(),
  }) as DeliveryDto;
}
