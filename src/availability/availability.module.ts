import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PeopleModule } from '../people/people.module';
import { AdminAvailabilityRulesController } from './admin-availability-rules.controller';
import { AvailabilityRuleEntity } from './availability-rule.entity';
import { AvailabilityRulesRepository } from './availability-rules.repository';
import { AvailabilityRulesService } from './availability-rules.service';

@Module({
  imports: [TypeOrmModule.forFeature([AvailabilityRuleEntity]), PeopleModule],
  controllers: [AdminAvailabilityRulesController],
  providers: [AvailabilityRulesService, AvailabilityRulesRepository],
  exports: [AvailabilityRulesService],
})
export class AvailabilityModule {}
