import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { NoBody } from '../bookings/dto/no-body';
import { AdminApi, CurrentTenants } from '../common/auth/decorators';
import type { Tenants } from '../common/auth/principal';
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
  create(@CurrentTenants() tenants: Tenants, @Body() dto: CreateWebhookDto): Promise<WebhookWithSecretDto> {
    return this.webhooks.create(tenants, dto);
  }

  @Get()
  @ApiOkResponse({ type: WebhookPageDto })
  list(@CurrentTenants() tenants: Tenants, @Query() query: WebhookQueryDto): Promise<Page<WebhookDto>> {
    return this.webhooks.list(tenants, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookDto })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'webhook endpoint') id: string): Promise<WebhookDto> {
    return this.webhooks.get(tenants, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: WebhookDto })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  update(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'webhook endpoint') id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookDto> {
    return this.webhooks.update(tenants, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted, with its deliveries.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  remove(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'webhook endpoint') id: string): Promise<void> {
    return this.webhooks.remove(tenants, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookWithSecretDto, description: 'The new secret (shown only here); the previous one also signs for 24 h.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  rotateSecret(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'webhook endpoint') id: string, @NoBody() _body: undefined): Promise<WebhookWithSecretDto> {
    return this.webhooks.rotateSecret(tenants, id);
  }

  @Post(':id/test')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: DeliveryDto, description: 'A webhook.test event queued for this endpoint alone.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  sendTest(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'webhook endpoint') id: string, @NoBody() _body: undefined): Promise<DeliveryDto> {
    return this.webhooks.sendTest(tenants, id);
  }

  @Get(':id/deliveries')
  @ApiOkResponse({ type: DeliveryPageDto, description: 'Deliveries to this endpoint, oldest first.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  listDeliveries(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'webhook endpoint') id: string, @Query() query: DeliveryQueryDto): Promise<Page<DeliveryDto>> {
    return this.webhooks.listDeliveries(tenants, id, query);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
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
