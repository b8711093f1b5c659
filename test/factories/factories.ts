import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** A row of the host's `public.biz_entity`, as the host application would have it. */
export async function createBusiness(db: DataSource): Promise<string> {
  const id = randomUUID();
  await db.query('INSERT INTO public.biz_entity (id) VALUES ($1)', [id]);
  return id;
}

/** A row of the host's `public.auth_user`. */
export async function createUser(db: DataSource): Promise<string> {
  const id = randomUUID();
  await db.query('INSERT INTO public.auth_user (id) VALUES ($1)', [id]);
  return id;
}

export function locationBody(bizEntityId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { bizEntityId, name: `Location ${randomUUID().slice(0, 8)}`, timezone: 'Europe/London', ...overrides };
}

export async function countRows(db: DataSource, table: string, where = 'TRUE', params: unknown[] = []): Promise<number> {
  const [row] = (await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params)) as { n: number }[];
  return row.n;
}
