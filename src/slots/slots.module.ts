import { Module } from '@nestjs/common';
import { AvailabilityModule } from '../availability/availability.module';
import { LocationsModule } from '../locations/locations.module';
import { PeopleModule } from '../people/people.module';
import { AdminSlotsController } from './admin-slots.controller';
import { SlotGenerationService } from './slot-generation.service';
import { SlotHorizonJob } from './slot-horizon.job';
import { SlotsRepository } from './slots.repository';
import { SlotsService } from './slots.service';

@Module({
  imports: [LocationsModule, PeopleModule, AvailabilityModule],
  controllers: [AdminSlotsController],
  providers: [SlotGenerationService, SlotsService, SlotsRepository, SlotHorizonJob],
  exports: [SlotsService],
})
export class SlotsModule {}
