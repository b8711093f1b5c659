import { DataSource } from 'typeorm';

/** Fixed ids, so seeding is idempotent and the printed tokens stay valid across restarts. */
export const DEMO = {
  bizEntityId: '00000000-0000-4000-8000-00000000b001',
  locationId: '00000000-0000-4000-8000-00000000a001',
  adminUserId: '00000000-0000-4000-8000-00000000c001',
  viewerUserId: '00000000-0000-4000-8000-00000000c002',
  userId: '00000000-0000-4000-8000-00000000c003',
  people: [
    { id: '00000000-0000-4000-8000-00000000d001', name: 'Dr. Amal Haddad', weight: 1 },
    { id: '00000000-0000-4000-8000-00000000d002', name: 'Dr. Omar Farouk', weight: 1 },
    { id: '00000000-0000-4000-8000-00000000d003', name: 'Nurse Lina Saleh', weight: 2 },
  ],
} as const;

/**
 * One business, one location in Asia/Dubai, three people with weekly rules (Sunday–Thursday
 * mornings and afternoons), and the demo users. Safe to run on every start.
 */
export async function seedDemoData(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (tx) => {
    await tx.query(`INSERT INTO public.biz_entity (id) VALUES ($1) ON CONFLICT DO NOTHING`, [DEMO.bizEntityId]);
    await tx.query(`INSERT INTO public.auth_user (id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING`, [
      [DEMO.adminUserId, DEMO.viewerUserId, DEMO.userId],
    ]);
    await tx.query(
      `INSERT INTO scheduler.locations (id, biz_entity_id, name, timezone)
       VALUES ($1, $2, 'Demo Clinic Dubai', 'Asia/Dubai') ON CONFLICT DO NOTHING`,
      [DEMO.locationId, DEMO.bizEntityId],
    );
    for (const [index, person] of DEMO.people.entries()) {
      await tx.query(
        `INSERT INTO scheduler.people (id, biz_entity_id, location_id, name, weight)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [person.id, DEMO.bizEntityId, DEMO.locationId, person.name, person.weight],
      );
      // Rule ids derive from the person's, so a restart inserts nothing new.
      const ruleId = person.id.replace(/d00(\d)$/, `e00$1`);
      const [start, end] = index === 2 ? ['13:00', '18:00'] : ['09:00', '13:00'];
      await tx.query(
        `INSERT INTO scheduler.availability_rules
           (id, biz_entity_id, location_id, person_id, kind, weekdays, start_time, end_time,
            slot_minutes, buffer_before_minutes, buffer_after_minutes, capacity)
         VALUES ($1, $2, $3, $4, 'weekly', '{7,1,2,3,4}', $5, $6, 30, 0, 0, 1) ON CONFLICT DO NOTHING`,
        [ruleId, DEMO.bizEntityId, DEMO.locationId, person.id, start, end],
      );
    }
  });
}
