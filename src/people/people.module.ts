import { Module } from '@nestjs/common';
import { LocationsModule } from '../locations/locations.module';
import { AdminPeopleController } from './admin-people.controller';
import { PeopleController } from './people.controller';
import { PeopleRepository } from './people.repository';
import { PeopleService } from './people.service';

@Module({
  imports: [LocationsModule],
  controllers: [PeopleController, AdminPeopleController],
  providers: [PeopleService, PeopleRepository],
  exports: [PeopleService],
})
export class PeopleModule {}
