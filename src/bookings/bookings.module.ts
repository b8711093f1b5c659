import { DynamicModule, Module, Type } from '@nestjs/common';
import { AdminBookingsController } from './admin-bookings.controller';
import { BookingsController } from './bookings.controller';
import { BookingsRepository } from './bookings.repository';
import { BookingsService } from './bookings.service';
import { HoldSweeperJob } from './hold-sweeper.job';

@Module({})
export class BookingsModule {
  /**
   * Bookings, with `HoldAdmission` taken from `admission` (a module that exports it): the
   * application composes the two, so bookings depends on no implementation of its port.
   */
  static withHoldAdmission(admission: Type<unknown>): DynamicModule {
    return {
      module: BookingsModule,
      imports: [admission],
      controllers: [BookingsController, AdminBookingsController],
      providers: [BookingsService, BookingsRepository, HoldSweeperJob],
      exports: [BookingsService],
    };
  }
}
