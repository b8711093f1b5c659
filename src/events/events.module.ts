import { Module } from '@nestjs/common';
import { AdminEventsController } from './admin-events.controller';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';

@Module({
  controllers: [AdminEventsController],
  providers: [EventsService, EventsRepository],
})
export class EventsModule {}
