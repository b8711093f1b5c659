import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NoBody } from '../bookings/dto/no-body';
import { AdminApi, CurrentTenants } from '../common/auth/decorators';
import type { Tenants } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/pagination';
import { AnswersETag, IfMatch, Precondition } from '../common/http/preconditions';
import { UuidParam } from '../common/http/uuid-param';
import { ProblemResponses } from '../openapi/problem-responses';
import {
  CreateWebhookDto,
  DeliveryDto,
  DeliveryPageDto,
  DeliveryQueryDto,
  UpdateWebhookDto,
  WebhookDto,
  WebhookPageDto,
  WebhookQueryDto,
  WebhookWithSecretDto,
} from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('admin: webhooks')
@ApiBearerAuth()
@AdminApi()
@Controller('v1/admin/webhooks')
export class AdminWebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Add a webhook endpoint',
    description:
      "Registers a URL that receives the business's booking events (those in `events`, or all), each POSTed with Standard Webhooks " +
      'signature headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`). The answer carries the signing `secret`, shown only ' +
      'here (and in a replay of this request with its Idempotency-Key). A URL that is not https in production, carries credentials or ' +
      'is a loopback, private or link-local address is 400; a host name is checked again each time a delivery connects.',
  })
  @ApiCreatedResponse({ type: WebhookWithSecretDto, description: 'The endpoint, with its signing secret (shown only here).' })
  @ProblemResponses(ErrorCode.UNKNOWN_REFERENCE)
  create(@CurrentTenants() tenants: Tenants, @Body() dto: CreateWebhookDto): Promise<WebhookWithSecretDto> {
    return this.webhooks.create(tenants, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List webhook endpoints', description: "Endpoints of the caller's businesses (or of `bizEntityId`), in creation order, without their secrets." })
  @ApiOkResponse({ type: WebhookPageDto, description: 'A page of endpoints.' })
  list(@CurrentTenants() tenants: Tenants, @Query() query: WebhookQueryDto): Promise<Page<WebhookDto>> {
    return this.webhooks.list(tenants, query);
  }

  @Get(':id')
  @AnswersETag()
  @ApiOperation({ summary: 'Get a webhook endpoint', description: "One endpoint of the caller's businesses, without its secret; `enabled` and `disabledReason` say whether it still receives events." })
  @ApiOkResponse({ type: WebhookDto, description: 'The endpoint.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'webhook endpoint') id: string): Promise<WebhookDto> {
    return this.webhooks.get(tenants, id);
  }

  @Patch(':id')
  @AnswersETag()
  @ApiOperation({
    summary: 'Change a webhook endpoint',
    description:
      'Only the fields sent change. `events: null` subscribes to every type again; `enabled: true` re-enables an endpoint that was disabled ' +
      'after an event failed for good, and its pending deliveries resume.',
  })
  @ApiOkResponse({ type: WebhookDto, description: 'The endpoint as it is now.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  update(
    @CurrentTenants() tenants: Tenants,
    @UuidParam('id', 'webhook endpoint') id: string,
    @Body() dto: UpdateWebhookDto,
    @IfMatch() precondition?: Precondition,
  ): Promise<WebhookDto> {
    return this.webhooks.update(tenants, id, dto, precondition);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook endpoint', description: 'The endpoint stops receiving events at once; its deliveries are deleted with it.' })
  @ApiNoContentResponse({ description: 'Deleted, with its deliveries.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  remove(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'webhook endpoint') id: string): Promise<void> {
    return this.webhooks.remove(tenants, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rotate the signing secret',
    description: 'Makes a new secret, shown only in this answer. For 24 h both sign every delivery (two signatures in `webhook-signature`), so receivers can switch without losing one. No body.',
  })
  @ApiOkResponse({ type: WebhookWithSecretDto, description: 'The new secret (shown only here); the previous one also signs for 24 h.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  rotateSecret(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'webhook endpoint') id: string, @NoBody() _body: undefined): Promise<WebhookWithSecretDto> {
    return this.webhooks.rotateSecret(tenants, id);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a test event',
    description:
      'Queues a `webhook.test` event (`data: { webhookId }`) for this endpoint alone, even while it is disabled; the dispatcher sends it ' +
      'within moments, signed like any other. Answers 202 with the delivery: follow it in the deliveries list. No body.',
  })
  @ApiAcceptedResponse({ type: DeliveryDto, description: 'A webhook.test event queued for this endpoint alone.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  sendTest(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'webhook endpoint') id: string, @NoBody() _body: undefined): Promise<DeliveryDto> {
    return this.webhooks.sendTest(tenants, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: 'List deliveries',
    description: "Each event's delivery to this endpoint, oldest first: its status, attempts, the receiver's last status code or error, and the next try.",
  })
  @ApiOkResponse({ type: DeliveryPageDto, description: 'Deliveries to this endpoint, oldest first.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  listDeliveries(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'webhook endpoint') id: string, @Query() query: DeliveryQueryDto): Promise<Page<DeliveryDto>> {
    return this.webhooks.listDeliveries(tenants, id, query);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Redeliver an event',
    description: 'Sends the delivery again now with a fresh retry schedule, whether it was delivered, failed or is still pending; the event keeps its id. No body.',
  })
  @ApiAcceptedResponse({ type: DeliveryDto, description: 'Queued again, due now, with a fresh retry schedule.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  redeliver(
    @CurrentTenants() tenants: Tenants,
    @UuidParam('id', 'webhook endpoint') id: string,
    @UuidParam('deliveryId', 'delivery') deliveryId: string,
    @NoBody() _body: undefined,
  ): Promise<DeliveryDto> {
    return this.webhooks.redeliver(tenants, id, deliveryId);
  }
}
