import { Module } from '@nestjs/common';
import { AdminBookingsController } from './admin-bookings.controller';
import { BookingsController } from './bookings.controller';
import { BookingsRepository } from './bookings.repository';
import { BookingsService } from './bookings.service';
import { AdmitEveryHold, HoldAdmission } from './hold-admission';
import { HoldSweeperJob } from './hold-sweeper.job';

@Module({
  controllers: [BookingsController, AdminBookingsController],
  providers: [BookingsService, BookingsRepository, HoldSweeperJob, { provide: HoldAdmission, useClass: AdmitEveryHold }],
  exports: [BookingsService],
})
export class BookingsModule {}
