import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { NoBody } from '../bookings/dto/no-body';
import { AdminApi, CurrentTenantScope } from '../common/auth/decorators';
import type { TenantScope } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/pagination';
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
  @ApiCreatedResponse({ type: WebhookWithSecretDto, description: 'The endpoint, with its signing secret (shown only here).' })
  @ProblemResponses(ErrorCode.UNKNOWN_REFERENCE)
  create(@CurrentTenantScope() scope: TenantScope, @Body() dto: CreateWebhookDto): Promise<WebhookWithSecretDto> {
    return this.webhooks.create(scope, dto);
  }

  @Get()
  @ApiOkResponse({ type: WebhookPageDto })
  list(@CurrentTenantScope() scope: TenantScope, @Query() query: WebhookQueryDto): Promise<Page<WebhookDto>> {
    return this.webhooks.list(scope, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookDto })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@CurrentTenantScope() scope: TenantScope, @UuidParam('id', 'webhook endpoint') id: string): Promise<WebhookDto> {
    return this.webhooks.get(scope, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: WebhookDto })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  update(@CurrentTenantScope() scope: TenantScope, @UuidParam('id', 'webhook endpoint') id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookDto> {
    return this.webhooks.update(scope, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted, with its deliveries.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  remove(@CurrentTenantScope() scope: TenantScope, @UuidParam('id', 'webhook endpoint') id: string): Promise<void> {
    return this.webhooks.remove(scope, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookWithSecretDto, description: 'The new secret (shown only here); the previous one also signs for 24 h.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  rotateSecret(@CurrentTenantScope() scope: TenantScope, @UuidParam('id', 'webhook endpoint') id: string, @NoBody() _body: undefined): Promise<WebhookWithSecretDto> {
    return this.webhooks.rotateSecret(scope, id);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: DeliveryDto, description: 'A webhook.test event queued for this endpoint alone.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  sendTest(@CurrentTenantScope() scope: TenantScope, @UuidParam('id', 'webhook endpoint') id: string, @NoBody() _body: undefined): Promise<DeliveryDto> {
    return this.webhooks.sendTest(scope, id);
  }

  @Get(':id/deliveries')
  @ApiOkResponse({ type: DeliveryPageDto, description: 'Deliveries to this endpoint, oldest first.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  listDeliveries(@CurrentTenantScope() scope: TenantScope, @UuidParam('id', 'webhook endpoint') id: string, @Query() query: DeliveryQueryDto): Promise<Page<DeliveryDto>> {
    return this.webhooks.listDeliveries(scope, id, query);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: DeliveryDto, description: 'Queued again, due now, with a fresh retry schedule.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  redeliver(
    @CurrentTenantScope() scope: TenantScope,
    @UuidParam('id', 'webhook endpoint') id: string,
    @UuidParam('deliveryId', 'delivery') deliveryId: string,
    @NoBody() _body: undefined,
  ): Promise<DeliveryDto> {
    return this.webhooks.redeliver(scope, id, deliveryId);
  }
}
