import { Module } from '@nestjs/common';
import { LocationsModule } from '../locations/locations.module';
import { PeopleModule } from '../people/people.module';
import { SlotsModule } from '../slots/slots.module';
import { AdminExposuresController } from './admin-exposures.controller';
import { AdminExposuresService } from './admin-exposures.service';
import { HoldAdmission } from '../bookings/hold-admission';
import { ExposureHoldAdmission } from './exposure-hold-admission';
import { ExposurePurgeJob } from './exposure-purge.job';
import { ExposuresController } from './exposures.controller';
import { ExposuresRepository } from './exposures.repository';
import { ExposureCandidatesRepository } from './exposure-candidates.repository';
import { ExposuresService } from './exposures.service';

@Module({
  imports: [LocationsModule, PeopleModule, SlotsModule],
  controllers: [ExposuresController, AdminExposuresController],
  providers: [
    ExposuresService,
    AdminExposuresService,
    ExposuresRepository,
    ExposureCandidatesRepository,
    ExposurePurgeJob,
    // The bookings module's port, provided here: bookings never imports the exposure engine.
    { provide: HoldAdmission, useClass: ExposureHoldAdmission },
  ],
  exports: [HoldAdmission],
})
export class ExposuresModule {}
