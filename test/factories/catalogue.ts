import type { Schema } from '../../clients/typescript/src';
import type { TestApp } from '../utils/test-app';
import { createBusiness, locationBody } from './factories';
import { token } from './tokens';

/**
 * The catalogue a booking needs, built through the admin API the way a client builds it:
 * locations, people, availability rules and the slots generated from them. Each builder fails
 * loudly when the API refuses, so a broken fixture never passes for a refusal under test.
 */

// ---------------------------------------------------------------------------------------------
// Resources as the API shows them
// ---------------------------------------------------------------------------------------------

/** The contract's own types (the typed client's schema, generated from the served document). */
export type LocationJson = Schema<'LocationDto'>;
export type LocationPolicyJson = Schema<'LocationPolicyResponseDto'>;
export type PersonJson = Schema<'PersonDto'>;
export type RuleJson = Schema<'AvailabilityRuleDto'>;
export type GenerationReport = Schema<'GenerationReportDto'>;

function created<T>(what: string, res: { status: number; text: string; body: unknown }, status = 201): T {
  if (res.status !== status) throw new Error(`creating ${what} answered ${res.status}: ${res.text}`);
  return res.body as T;
}

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

/** A location of `biz` (`locationBody` with `overrides` on top: name, timezone, policy). */
export async function createLocation(t: TestApp, admin: string, biz: string, overrides: Record<string, unknown> = {}): Promise<LocationJson> {
  return created('a location', await t.api.post('/v1/admin/locations', { token: admin, body: locationBody(biz, overrides) }));
}

/** A person: `{ locationId, name }` and whatever else the test sets (email, weight). */
export async function createPerson(t: TestApp, admin: string, body: Record<string, unknown>): Promise<PersonJson> {
  return created('a person', await t.api.post('/v1/admin/people', { token: admin, body }));
}

/** An availability rule, from one of the bodies below or a test's own. */
export async function createRule(t: TestApp, admin: string, body: Record<string, unknown>): Promise<RuleJson> {
  return created('a rule', await t.api.post('/v1/admin/availability-rules', { token: admin, body }));
}

/** Slots generated for the location's people (or `personIds`) over the local dates `from`..`to`. */
export async function generateSlots(
  t: TestApp,
  admin: string,
  locationId: string,
  range: { from: string; to: string; personIds?: string[] },
): Promise<GenerationReport> {
  const res = await t.api.post('/v1/admin/slot-generations', { token: admin, body: { locationId, ...range } });
  return created('slots', res, 200);
}

/** One business with an admin, a viewer and a plain user, one location and one person in it. */
export interface Tenant {
  biz: string;
  admin: string;
  viewer: string;
  user: string;
  locationId: string;
  person: PersonJson;
  personId: string;
}

export async function createTenant(t: TestApp, options: { timezone?: string; person?: Record<string, unknown> } = {}): Promise<Tenant> {
  const biz = await createBusiness(t.db);
  const admin = await token({ roles: ['admin'], biz: [biz] });
  const viewer = await token({ roles: ['viewer'], biz: [biz] });
  const user = await token({ roles: ['user'] });
  const location = await createLocation(t, admin, biz, options.timezone ? { timezone: options.timezone } : {});
  const person = await createPerson(t, admin, { locationId: location.id, name: 'Dana Reyes', email: 'dana@example.com', ...options.person });
  return { biz, admin, viewer, user, locationId: location.id, person, personId: person.id };
}

/** Every day 09:00–17:00, one-hour slots. */
export const EVERY_DAY_NINE_TO_FIVE = { kind: 'weekly', weekdays: [1, 2, 3, 4, 5, 6, 7], startTime: '09:00', endTime: '17:00', slotMinutes: 60 } as const;

/**
 * A location of `biz` whose people (by name) each have `rule` (default every day 09:00–17:00),
 * with slots generated over `from`..`to`.
 */
export async function staffedLocation(
  t: TestApp,
  admin: string,
  biz: string,
  options: { people: string[]; from: string; to: string; location?: Record<string, unknown>; rule?: Record<string, unknown> },
): Promise<{ location: LocationJson; people: string[] }> {
  const location = await createLocation(t, admin, biz, options.location);
  const people: string[] = [];
  for (const name of options.people) {
    const person = await createPerson(t, admin, { locationId: location.id, name });
    await createRule(t, admin, { personId: person.id, ...(options.rule ?? EVERY_DAY_NINE_TO_FIVE) });
    people.push(person.id);
  }
  await generateSlots(t, admin, location.id, { from: options.from, to: options.to });
  return { location, people };
}

// ---------------------------------------------------------------------------------------------
// Rule bodies
// ---------------------------------------------------------------------------------------------

export const RULE_DATES = Object.freeze({
  override: '2027-03-10',
  dayOff: '2027-03-11',
  blackoutFrom: '2027-04-01',
  blackoutUntil: '2027-04-03',
});

/** Valid create bodies per kind; `undefined` in `overrides` removes a field. */
function body(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries({ ...base, ...overrides }).filter(([, value]) => value !== undefined));
}

export const weeklyBody = (personId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  body({ personId, kind: 'weekly', weekdays: [1, 3, 5], startTime: '09:00', endTime: '17:00', slotMinutes: 30 }, overrides);

export const overrideBody = (personId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  body({ personId, kind: 'override', date: RULE_DATES.override, startTime: '10:00', endTime: '14:00', slotMinutes: 20 }, overrides);

export const dayOffBody = (personId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  body({ personId, kind: 'override', date: RULE_DATES.dayOff }, overrides);

export const blackoutBody = (personId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> =>
  body({ personId, kind: 'blackout', startDate: RULE_DATES.blackoutFrom, endDate: RULE_DATES.blackoutUntil }, overrides);
