import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, ValidateIf } from 'class-validator';
import { definedOnly } from '../../common/database/sql';
import { PageQueryDto } from '../../common/http/pagination';
import { IsOptionalNotNull } from '../../common/validation/optional';
import { IsStorableText } from '../../common/validation/text';
import { BOOKING_EVENT_TYPES, WEBHOOK_TEST_EVENT_TYPE } from '../../events/event-types';
import type { BookingEventType } from '../../events/event-types';
import type { DeliveryRow, DeliveryStatus, WebhookEndpointRow } from '../webhooks.repository';

const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'failed'];
const NULLABLE = (_object: object, value: unknown): boolean => value !== undefined && value !== null;

export class CreateWebhookDto {
  @ApiProperty({ format: 'uuid', description: 'The business whose events the endpoint receives.' })
  @IsUUID()
  bizEntityId: string;

  @ApiProperty({ maxLength: 2000, example: 'https://host.example.com/scheduler/webhooks', description: 'https in production; never a loopback, private or link-local address.' })
  @IsStorableText(2000)
  @IsNotEmpty()
  @IsString()
  url: string;

  @ApiProperty({ required: false, enum: BOOKING_EVENT_TYPES, isArray: true, description: 'Event types to receive; absent: all.' })
  @IsOptionalNotNull()
  @IsIn(BOOKING_EVENT_TYPES, { each: true })
  @ArrayUnique()
  @ArrayMaxSize(BOOKING_EVENT_TYPES.length)
  @ArrayMinSize(1)
  @IsArray()
  events?: BookingEventType[];

  @ApiProperty({ required: false, maxLength: 500 })
  @IsOptionalNotNull()
  @IsStorableText(500)
  @IsString()
  description?: string;
}

export class UpdateWebhookDto {
  @ApiProperty({ required: false, maxLength: 2000 })
  @IsOptionalNotNull()
  @IsStorableText(2000)
  @IsNotEmpty()
  @IsString()
  url?: string;

  @ApiProperty({ required: false, nullable: true, enum: BOOKING_EVENT_TYPES, isArray: true, description: 'null: every event type.' })
  @ValidateIf(NULLABLE)
  @IsIn(BOOKING_EVENT_TYPES, { each: true })
  @ArrayUnique()
  @ArrayMaxSize(BOOKING_EVENT_TYPES.length)
  @ArrayMinSize(1)
  @IsArray()
  events?: BookingEventType[] | null;

  @ApiProperty({ required: false, nullable: true, maxLength: 500 })
  @ValidateIf(NULLABLE)
  @IsStorableText(500)
  @IsString()
  description?: string | null;

  @ApiProperty({ required: false, description: 'true enables a disabled endpoint again; its pending deliveries resume.' })
  @IsOptionalNotNull()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, format: 'uuid' })
  @IsOptional()
  @IsUUID()
  bizEntityId?: string;
}

export class WebhookDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) bizEntityId: string;
  @ApiProperty() url: string;
  @ApiProperty({ required: false }) description?: string;
  @ApiProperty({ required: false, enum: BOOKING_EVENT_TYPES, isArray: true, description: 'Absent: every event type.' }) events?: string[];
  @ApiProperty({ description: 'false once every attempt at one event has failed (or an operator disabled it).' }) enabled: boolean;
  @ApiProperty({ required: false, format: 'date-time' }) disabledAt?: string;
  @ApiProperty({ required: false }) disabledReason?: string;
  @ApiProperty({ required: false, format: 'date-time', description: 'The last rotation; the secret before it signs too for 24 h after it.' }) secretRotatedAt?: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class WebhookWithSecretDto extends WebhookDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Shown only now: keep it to verify signatures.' })
  secret: string;
}

export class WebhookPageDto {
  @ApiProperty({ type: [WebhookDto] }) data: WebhookDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class DeliveryQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: DELIVERY_STATUSES })
  @IsOptionalNotNull()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

export class DeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) webhookId: string;
  @ApiProperty({ format: 'uuid', description: 'The webhook-id header; the same on every attempt.' }) eventId: string;
  @ApiProperty({ enum: [...BOOKING_EVENT_TYPES, WEBHOOK_TEST_EVENT_TYPE] }) eventType: string;
  @ApiProperty({ required: false, format: 'uuid' }) bookingId?: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: DeliveryStatus;
  @ApiProperty({ description: 'Attempts made so far (in flight included).' }) attempts: number;
  @ApiProperty({ required: false, format: 'date-time' }) lastAttemptAt?: string;
  @ApiProperty({ required: false, description: 'The receiver\'s status code on the last attempt.' }) lastResponseStatus?: number;
  @ApiProperty({ required: false, description: 'Why the last attempt did not count as delivered.' }) lastError?: string;
  @ApiProperty({ required: false, format: 'date-time', description: 'While pending: the next attempt (or the end of the current one\'s lease).' }) nextAttemptAt?: string;
  @ApiProperty({ required: false, format: 'date-time' }) deliveredAt?: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] }) data: DeliveryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

const iso = (at: Date | null): string | undefined => at?.toISOString();

export function toWebhookDto(row: WebhookEndpointRow): WebhookDto {
  return definedOnly({
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
