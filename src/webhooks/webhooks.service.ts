import { Transactional } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AuditTrail } from '../common/audit/audit-trail';
import { mayAdminister } from '../common/auth/principal';
import type { Tenants } from '../common/auth/principal';
import { decodeCursor, Page, toPage } from '../common/http/pagination';
import { assertPrecondition, Precondition } from '../common/http/preconditions';
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
    private readonly audit: AuditTrail,
  ) {}

  @Transactional()
  async create(tenants: Tenants, dto: CreateWebhookDto): Promise<WebhookWithSecretDto> {
    if (!mayAdminister(tenants, dto.bizEntityId)) throw WebhookErrors.foreignBusiness(dto.bizEntityId);
    this.assertReceiverUrl(dto.url);
    const secret = newSecret();
    const row = await this.webhooks.insert({
      bizEntityId: dto.bizEntityId,
      url: dto.url,
      description: dto.description ?? null,
      eventTypes: dto.events ?? null,
      secret,
    });
    const created = toWebhookDto(row);
    // Secrets stay out of the audit: it shows that one was issued or rotated, never the value.
    this.audit.record({ target: { type: 'webhook endpoint', id: row.id }, bizEntityId: row.bizEntityId, after: created });
    return { ...created, secret };
  }

  async list(tenants: Tenants, query: WebhookQueryDto): Promise<Page<WebhookDto>> {
    const rows = await this.webhooks.listInTenants(tenants, { bizEntityId: query.bizEntityId, after: decodeCursor(query.cursor), limit: query.limit });
    return toPage(rows, query.limit, toWebhookDto);
  }

  async get(tenants: Tenants, id: string): Promise<WebhookDto> {
    return toWebhookDto(await this.require(tenants, id));
  }

  @Transactional()
  async update(tenants: Tenants, id: string, dto: UpdateWebhookDto, precondition?: Precondition): Promise<WebhookDto> {
    const current = await this.require(tenants, id, true);
    assertPrecondition(precondition, current, 'webhook endpoint');
    if (dto.url !== undefined) this.assertReceiverUrl(dto.url);
    const changed = await this.webhooks.update(tenants, id, {
      url: dto.url,
      description: dto.description,
      eventTypes: dto.events,
      enabled: dto.enabled,
    });
    if (!changed) throw WebhookErrors.notFound();
    const updated = await this.get(tenants, id);
    this.audit.record({ target: { type: 'webhook endpoint', id }, bizEntityId: current.bizEntityId, before: toWebhookDto(current), after: updated });
    return updated;
  }

  @Transactional()
  async remove(tenants: Tenants, id: string): Promise<void> {
    const current = await this.require(tenants, id, true);
    if (!(await this.webhooks.remove(tenants, id))) throw WebhookErrors.notFound();
    this.audit.record({ target: { type: 'webhook endpoint', id }, bizEntityId: current.bizEntityId, before: toWebhookDto(current) });
  }

  /** A new secret, shown once; the old one keeps signing beside it for 24 h. */
  @Transactional()
  async rotateSecret(tenants: Tenants, id: string): Promise<WebhookWithSecretDto> {
    const current = await this.require(tenants, id, true);
    const secret = newSecret();
    if (!(await this.webhooks.rotateSecret(tenants, id, secret, SECRET_OVERLAP_SECONDS))) throw WebhookErrors.notFound();
    const rotated = await this.get(tenants, id);
    this.audit.record({ target: { type: 'webhook endpoint', id }, bizEntityId: current.bizEntityId, before: toWebhookDto(current), after: rotated });
    return { ...rotated, secret };
  }

  /** A `webhook.test` event, for this endpoint only, sent by the dispatcher like any other. */
  @Transactional()
  async sendTest(tenants: Tenants, id: string): Promise<DeliveryDto> {
    const endpoint = await this.require(tenants, id);
    const delivery = await this.webhooks.insertTestDelivery(endpoint);
    this.audit.record({ target: { type: 'webhook endpoint', id }, bizEntityId: endpoint.bizEntityId, report: { deliveryId: delivery.id } });
    return toDeliveryDto(delivery);
  }

  async listDeliveries(tenants: Tenants, id: string, query: DeliveryQueryDto): Promise<Page<DeliveryDto>> {
    await this.require(tenants, id);
    const rows = await this.webhooks.listDeliveries(tenants, id, { status: query.status, after: decodeCursor(query.cursor), limit: query.limit });
    return toPage(rows, query.limit, toDeliveryDto);
  }

  /** Sends the event again, with a fresh retry schedule, whether it was delivered, failed or is still pending. */
  @Transactional()
  async redeliver(tenants: Tenants, id: string, deliveryId: string): Promise<DeliveryDto> {
    const endpoint = await this.require(tenants, id);
    const delivery = await this.webhooks.redeliver(tenants, id, deliveryId);
    if (!delivery) throw WebhookErrors.deliveryNotFound();
    this.audit.record({ target: { type: 'webhook endpoint', id }, bizEntityId: endpoint.bizEntityId, report: { deliveryId: delivery.id } });
    return toDeliveryDto(delivery);
  }

  private assertReceiverUrl(url: string): void {
    const problem = receiverUrlProblem(url, {
      requireHttps: this.config.NODE_ENV === 'production',
      allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE_URLS,
    });
    if (problem) throw WebhookErrors.badUrl(problem);
  }

  private async require(tenants: Tenants, id: string, lock = false): Promise<WebhookEndpointRow> {
    const endpoint = await this.webhooks.findInTenants(tenants, id, lock);
    if (!endpoint) throw WebhookErrors.notFound();
    return endpoint;
  }
}

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
