import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { DomainMetrics } from './domain-metrics';
import { MetricsService } from './metrics.service';
import { MetricsTokenGuard } from './metrics-token.guard';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, DomainMetrics, MetricsTokenGuard],
  exports: [MetricsService, DomainMetrics],
})
export class MetricsModule {}
