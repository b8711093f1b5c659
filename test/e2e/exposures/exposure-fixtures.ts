import { staffedLocation } from '../../factories/catalogue';
import { createBusiness, createUser } from '../../factories/factories';
import { TestApp, token } from '../../utils/test-app';

export const DAY_MS = 86_400_000;

export interface ExposureWorld {
  biz: string;
  /** An admin token of `biz`. */
  admin: string;
  locationId: string;
  /** Three people, each with a slot every hour 09:00–17:00 (London) every day. */
  people: string[];
  userId: string;
  /** A plain user token for `userId`. */
  user: string;
}

export interface SlotView {
  id: string;
  locationId: string;
  personId: string;
  startsAt: string;
  status: string;
  remaining: number;
}

/**
 * business → location → people with weekly rules → slots for today..today+20 → a user, all
 * through the API (the same setup as exposure-browse.e2e-spec.ts).
 */
export async function exposureWorld(t: TestApp, options: { people?: string[]; biz?: string } = {}): Promise<ExposureWorld> {
  const biz = options.biz ?? (await createBusiness(t.db));
  const admin = await token({ roles: ['admin'], biz: [biz] });
  const today = new Date().toISOString().slice(0, 10);
  const later = new Date(Date.now() + 20 * DAY_MS).toISOString().slice(0, 10);
  const { location, people } = await staffedLocation(t, admin, biz, {
    location: { timezone: 'Europe/London' },
    people: options.people ?? ['Ana', 'Ben', 'Cai'],
    from: today,
    to: later,
  });
  const userId = await createUser(t.db);
  const user = await token({ sub: userId });
  return { biz, admin, locationId: location.id, people, userId, user };
}

/** Slots of the location starting in [from, to), through the admin list. */
export async function adminSlots(t: TestApp, world: ExposureWorld, from: number, to: number, personId?: string): Promise<SlotView[]> {
  const query = new URLSearchParams({
    locationId: world.locationId,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    limit: '200',
    ...(personId ? { personId } : {}),
  });
  const res = await t.api.get(`/v1/admin/slots?${query.toString()}`, { token: world.admin });
  if (res.status !== 200) throw new Error(`slots: ${res.status} ${res.text}`);
  return res.body.data as SlotView[];
}
