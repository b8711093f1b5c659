import { Transactional } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mayAdminister } from '../common/auth/principal';
import type { TenantScope } from '../common/auth/principal';
import { decodeCursor, Page, toPage } from '../common/http/pagination';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import {
  CreateWebhookDto,
  DeliveryDto,
  DeliveryQueryDto,
  toDeliveryDto,
  toWebhookDto,
  UpdateWebhookDto,
  WebhookDto,
  WebhookQueryDto,
  WebhookWithSecretDto,
} from './dto/webhook.dto';
import { receiverUrlProblem } from './receiver-address';
import { WebhookErrors } from './webhooks.errors';
import { WebhookEndpointRow, WebhooksRepository } from './webhooks.repository';

/** How long the secret before a rotation keeps signing alongside the new one. */
export const SECRET_OVERLAP_SECONDS = 86_400;

/** Webhook endpoints of the admin API: tenant-scoped, secrets shown once. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Transactional()
  async create(scope: TenantScope, dto: CreateWebhookDto): Promise<WebhookWithSecretDto> {
    if (!mayAdminister(scope, dto.bizEntityId)) throw WebhookErrors.foreignBusiness(dto.bizEntityId);
    this.assertReceiverUrl(dto.url);
    const secret = newSecret();
    const row = await this.webhooks.insert({
      bizEntityId: dto.bizEntityId,
      url: dto.url,
      description: dto.description ?? null,
      eventTypes: dto.events ?? null,
      secret,
    });
    return { ...toWebhookDto(row), secret };
  }

  async list(scope: TenantScope, query: WebhookQueryDto): Promise<Page<WebhookDto>> {
    const rows = await this.webhooks.listInScope(scope, { bizEntityId: query.bizEntityId, after: decodeCursor(query.cursor), limit: query.limit });
    return toPage(rows, query.limit, toWebhookDto);
  }

  async get(scope: TenantScope, id: string): Promise<WebhookDto> {
    return toWebhookDto(await this.require(scope, id));
  }

  @Transactional()
  async update(scope: TenantScope, id: string, dto: UpdateWebhookDto): Promise<WebhookDto> {
    await this.require(scope, id, true);
    if (dto.url !== undefined) this.assertReceiverUrl(dto.url);
    const changed = await this.webhooks.update(scope, id, {
      url: dto.url,
      description: dto.description,
      eventTypes: dto.events,
      enabled: dto.enabled,
    });
    if (!changed) throw WebhookErrors.notFound();
    return this.get(scope, id);
  }

  @Transactional()
  async remove(scope: TenantScope, id: string): Promise<void> {
    if (!(await this.webhooks.remove(scope, id))) throw WebhookErrors.notFound();
  }

  /** A new secret, shown once; the old one keeps signing beside it for 24 h. */
  @Transactional()
  async rotateSecret(scope: TenantScope, id: string): Promise<WebhookWithSecretDto> {
    await this.require(scope, id, true);
    const secret = newSecret();
    if (!(await this.webhooks.rotateSecret(scope, id, secret, SECRET_OVERLAP_SECONDS))) throw WebhookErrors.notFound();
    return { ...(await this.get(scope, id)), secret };
  }

  /** A `webhook.test` event, for this endpoint only, sent by the dispatcher like any other. */
  @Transactional()
  async sendTest(scope: TenantScope, id: string): Promise<DeliveryDto> {
    const endpoint = await this.require(scope, id);
    return toDeliveryDto(await this.webhooks.insertTestDelivery(endpoint));
  }

  async listDeliveries(scope: TenantScope, id: string, query: DeliveryQueryDto): Promise<Page<DeliveryDto>> {
    await this.require(scope, id);
    const rows = await this.webhooks.listDeliveries(scope, id, { status: query.status, after: decodeCursor(query.cursor), limit: query.limit });
    return toPage(rows, query.limit, toDeliveryDto);
  }

  /** Sends the event again, with a fresh retry schedule, whether it was delivered, failed or is still pending. */
  @Transactional()
  async redeliver(scope: TenantScope, id: string, deliveryId: string): Promise<DeliveryDto> {
    await this.require(scope, id);
    const delivery = await this.webhooks.redeliver(scope, id, deliveryId);
    if (!delivery) throw WebhookErrors.deliveryNotFound();
    return toDeliveryDto(delivery);
  }

  private assertReceiverUrl(url: string): void {
    const problem = receiverUrlProblem(url, {
      requireHttps: this.config.NODE_ENV === 'production',
      allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE_URLS,
    });
    if (problem) throw WebhookErrors.badUrl(problem);
  }

  private async require(scope: TenantScope, id: string, lock = false): Promise<WebhookEndpointRow> {
    const endpoint = await this.webhooks.findInScope(scope, id, lock);
    if (!endpoint) throw WebhookErrors.notFound();
    return endpoint;
  }
}

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
