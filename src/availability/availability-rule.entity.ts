import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const RULE_KINDS = ['weekly', 'override', 'blackout'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

@Entity({ schema: 'scheduler', name: 'availability_rules' })
export class AvailabilityRuleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'biz_entity_id', type: 'uuid' })
  bizEntityId: string;

  @Column({ name: 'location_id', type: 'uuid' })
  locationId: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId: string;

  @Column({ type: 'text' })
  kind: RuleKind;

  @Column({ type: 'smallint', array: true, nullable: true })
  weekdays: number[] | null;

  @Column({ type: 'date', nullable: true })
  date: string | null;

  @Column({ name: 'start_date', type: 'date', nullable: true })
  startDate: string | null;

  @Column({ name: 'end_date', type: 'date', nullable: true })
  endDate: string | null;

  @Column({ name: 'start_time', type: 'time', nullable: true })
  startTime: string | null;

  @Column({ name: 'end_time', type: 'time', nullable: true })
  endTime: string | null;

  @Column({ name: 'slot_minutes', type: 'integer', nullable: true })
  slotMinutes: number | null;

  @Column({ name: 'buffer_minutes', type: 'integer', nullable: true })
  bufferMinutes: number | null;

  @Column({ type: 'integer', nullable: true })
  capacity: number | null;

  @Column({ name: 'valid_from', type: 'date', nullable: true })
  validFrom: string | null;

  @Column({ name: 'valid_until', type: 'date', nullable: true })
  validUntil: string | null;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', insert: false })
  updatedAt: Date;
}
