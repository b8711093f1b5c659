import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const SLOT_STATUSES = ['open', 'blocked', 'retired'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

@Entity({ schema: 'scheduler', name: 'slot_instances' })
export class SlotInstanceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'biz_entity_id', type: 'uuid' })
  bizEntityId: string;

  @Column({ name: 'location_id', type: 'uuid' })
  locationId: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ name: 'rule_id', type: 'uuid', nullable: true })
  ruleId: string | null;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;

  @Column({ name: 'local_start', type: 'text' })
  localStart: string;

  /** The zone `localStart` was computed in (the location's, when the slot was generated). */
  @Column({ type: 'text' })
  timezone: string;

  @Column({ type: 'integer' })
  capacity: number;

  @Column({ type: 'text' })
  status: SlotStatus;

  /** Retired from `blocked`: if the rules produce it again, it comes back blocked. */
  @Column({ name: 'retired_while_blocked', type: 'boolean' })
  retiredWhileBlocked: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', insert: false })
  updatedAt: Date;
}
