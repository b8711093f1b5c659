import { Module } from '@nestjs/common';
import { AdminWebhooksController } from './admin-webhooks.controller';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookDispatchRepository } from './webhook-dispatch.repository';
import { WebhookDispatcherJob } from './webhook-dispatcher.job';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

@Module({
  controllers: [AdminWebhooksController],
  providers: [WebhooksService, WebhooksRepository, WebhookDeliveryService, WebhookDispatchRepository, WebhookDispatcherJob],
})
export class WebhooksModule {}
