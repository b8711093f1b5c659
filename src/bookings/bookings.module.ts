import { Module } from '@nestjs/common';
import { AdminBookingsController } from './admin-bookings.controller';
import { BookingsController } from './bookings.controller';
import { BookingsRepository } from './bookings.repository';
import { BookingsService } from './bookings.service';
import { ExposureHoldAdmission } from '../exposures/exposure-hold-admission';
import { ExposuresModule } from '../exposures/exposures.module';
import { HoldAdmission } from './hold-admission';
import { HoldSweeperJob } from './hold-sweeper.job';

@Module({
  imports: [ExposuresModule],
  controllers: [BookingsController, AdminBookingsController],
  providers: [BookingsService, BookingsRepository, HoldSweeperJob, { provide: HoldAdmission, useExisting: ExposureHoldAdmission }],
  exports: [BookingsService],
})
export class BookingsModule {}
