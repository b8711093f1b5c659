import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal';
import { HoldAdmission } from '../bookings/hold-admission';
import type { LockedSlot } from '../bookings/bookings.repository';
import { ExposureErrors } from './exposures.errors';
import { ExposuresRepository } from './exposures.repository';

/** With policy requireExposure, a hold must be on a slot from one of the caller's live offers. */
@Injectable()
export class ExposureHoldAdmission extends HoldAdmission {
  constructor(private readonly exposures: ExposuresRepository) {
    super();
  }

  async assertMayHold(principal: Principal, slot: LockedSlot): Promise<void> {
    if (!slot.requireExposure) return;
    if (!(await this.exposures.isOffered(principal.userId, slot.id))) throw ExposureErrors.notOffered();
  }
}
