import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AvailabilityModule } from '../availability/availability.module';
import { LocationsModule } from '../locations/locations.module';
import { PeopleModule } from '../people/people.module';
import { AdminSlotsController } from './admin-slots.controller';
import { SlotGenerationService } from './slot-generation.service';
import { SlotHorizonJob } from './slot-horizon.job';
import { SlotInstanceEntity } from './slot-instance.entity';
import { SlotsRepository } from './slots.repository';
import { SlotsService } from './slots.service';

@Module({
  imports: [TypeOrmModule.forFeature([SlotInstanceEntity]), LocationsModule, PeopleModule, AvailabilityModule],
  controllers: [AdminSlotsController],
  providers: [SlotGenerationService, SlotsService, SlotsRepository, SlotHorizonJob],
  exports: [SlotsService],
})
export class SlotsModule {}
