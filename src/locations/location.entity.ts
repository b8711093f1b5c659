import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ schema: 'scheduler', name: 'locations' })
export class LocationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'biz_entity_id', type: 'uuid' })
  bizEntityId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  timezone: string;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'hold_ttl_seconds', type: 'integer' })
  holdTtlSeconds: number;

  @Column({ name: 'max_active_holds_per_user', type: 'integer' })
  maxActiveHoldsPerUser: number;

  @Column({ name: 'min_notice_minutes', type: 'integer' })
  minNoticeMinutes: number;

  @Column({ name: 'booking_horizon_days', type: 'integer' })
  bookingHorizonDays: number;

  @Column({ name: 'cancel_cutoff_minutes', type: 'integer' })
  cancelCutoffMinutes: number;

  @Column({ name: 'require_exposure', type: 'boolean' })
  requireExposure: boolean;

  @Column({ name: 'exposure_person_min', type: 'integer' })
  exposurePersonMin: number;

  @Column({ name: 'exposure_person_max', type: 'integer' })
  exposurePersonMax: number;

  @Column({ name: 'exposure_location_min', type: 'integer' })
  exposureLocationMin: number;

  @Column({ name: 'exposure_location_max', type: 'integer' })
  exposureLocationMax: number;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', insert: false })
  updatedAt: Date;
}

/** The policy columns, as the service reads and writes them. */
export type LocationPolicyColumns = Pick<
  LocationEntity,
  | 'holdTtlSeconds'
  | 'maxActiveHoldsPerUser'
  | 'minNoticeMinutes'
  | 'bookingHorizonDays'
  | 'cancelCutoffMinutes'
  | 'requireExposure'
  | 'exposurePersonMin'
  | 'exposurePersonMax'
  | 'exposureLocationMin'
  | 'exposureLocationMax'
>;
