import { Module } from '@nestjs/common';
import { PeopleModule } from '../people/people.module';
import { AdminAvailabilityRulesController } from './admin-availability-rules.controller';
import { AvailabilityRulesRepository } from './availability-rules.repository';
import { AvailabilityRulesService } from './availability-rules.service';

@Module({
  imports: [PeopleModule],
  controllers: [AdminAvailabilityRulesController],
  providers: [AvailabilityRulesService, AvailabilityRulesRepository],
  exports: [AvailabilityRulesService],
})
export class AvailabilityModule {}
