import { Injectable } from '@nestjs/common';
import { HoldAdmission } from '../bookings/hold-admission';
import { ExposuresRepository } from './exposures.repository';

/** A hold is admitted on a slot of one of the caller's live exposures. */
@Injectable()
export class ExposureHoldAdmission extends HoldAdmission {
  constructor(private readonly exposures: ExposuresRepository) {
    super();
  }

  isOffered(userId: string, slotId: string): Promise<boolean> {
    return this.exposures.isOffered(userId, slotId);
  }
}
