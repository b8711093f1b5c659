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

  @Column({ type: 'integer' })
  capacity: number;

  @Column({ type: 'text' })
  status: SlotStatus;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', insert: false })
  updatedAt: Date;
}
