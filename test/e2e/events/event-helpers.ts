import type { TestApp } from '../../utils/test-app';
import { eventually } from '../../utils/wait';

export interface FeedEvent {
  id: string;
  sequence: number;
  type: string;
  timestamp: string;
  data: { booking: Record<string, unknown> & { id: string; status: string }; previousSlot?: Record<string, unknown> };
}

/** One page of GET /v1/admin/events. */
export async function feedPage(t: TestApp, adminToken: string, query = ''): Promise<{ data: FeedEvent[]; nextAfter: number | null }> {
  const res = await t.api.get(`/v1/admin/events${query ? `?${query}` : ''}`, { token: adminToken });
  if (res.status !== 200) throw new Error(`GET /v1/admin/events?${query}: ${res.status} ${res.text}`);
  return res.body as { data: FeedEvent[]; nextAfter: number | null };
}

/** The feed once it holds at least `count` events (they appear when older transactions end). */
export async function feedOf(t: TestApp, adminToken: string, count: number, query = ''): Promise<FeedEvent[]> {
  const page = await eventually(
    () => feedPage(t, adminToken, query),
    (p) => p.data.length >= count,
  );
  return page.data;
}
