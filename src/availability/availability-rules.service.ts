import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../common/audit/audit-trail';
import type { Tenants } from '../common/auth/principal';
import { decodeCursor, Page, toPage } from '../common/http/pagination';
import { assertPrecondition, Precondition } from '../common/http/preconditions';
import { PeopleService } from '../people/people.service';
import type { RuleKind } from './rule-fields';
import { columnsOf, ruleFieldsOf } from './availability-rule.mapper';
import { AvailabilityRuleRow, AvailabilityRulesRepository } from './availability-rules.repository';
import { AvailabilityErrors } from './availability.errors';
import {
  AdminAvailabilityRuleQueryDto,
  CreateAvailabilityRuleDto,
  UpdateAvailabilityRuleDto,
} from './dto/availability-rule-request.dto';
import { AvailabilityRuleDto, toAvailabilityRuleDto } from './dto/availability-rule.dto';
import { conflictingRuleIds, RuleWindow } from './rule-conflicts';
import { RuleFields, RuleFieldsInput, ruleShapeErrors, withoutBufferAlias } from './rule-fields';

@Injectable()
export class AvailabilityRulesService {
  constructor(
    private readonly rules: AvailabilityRulesRepository,
    private readonly people: PeopleService,
    private readonly audit: AuditTrail,
  ) {}

  @Transactional()
  async create(tenants: Tenants, dto: CreateAvailabilityRuleDto): Promise<AvailabilityRuleDto> {
    const { personId, kind, ...given } = dto;
    const fields = withDefaults(kind, checkedShape(kind, given));
    const person = await this.people.lockForRuleChange(tenants, personId);
    await this.assertNoConflict(personId, kind, '', fields);
    const rule = await this.rules.insert({
      bizEntityId: person.bizEntityId,
      locationId: person.locationId,
      personId,
      kind,
      ...columnsOf(fields),
    });
    const created = toAvailabilityRuleDto(rule);
    this.audit.record({ target: { type: 'availability rule', id: rule.id }, bizEntityId: rule.bizEntityId, after: created });
    return created;
  }

  async listForAdmin(tenants: Tenants, query: AdminAvailabilityRuleQueryDto): Promise<Page<AvailabilityRuleDto>> {
    const rows = await this.rules.listInTenants(tenants, {
      personId: query.personId,
      locationId: query.locationId,
      active: query.active,
      after: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return toPage(rows, query.limit, toAvailabilityRuleDto);
  }

  async getForAdmin(tenants: Tenants, id: string): Promise<AvailabilityRuleDto> {
    return toAvailabilityRuleDto(await this.require(tenants, id));
  }

  /** Fields not named keep their value; `validFrom`/`validUntil: null` removes the bound. */
  @Transactional()
  async update(tenants: Tenants, id: string, dto: UpdateAvailabilityRuleDto, precondition?: Precondition): Promise<AvailabilityRuleDto> {
    const { personId } = await this.require(tenants, id);
    await this.people.lockForRuleChange(tenants, personId);
    // Re-read under the person's lock: every rule write takes it first, so the version stays until we write.
    const current = await this.require(tenants, id);
    assertPrecondition(precondition, current, 'availability rule');
    const merged: Record<string, unknown> = { ...ruleFieldsOf(current) };
    // The old name given alone replaces the after-buffer, as the new name would.
    if (dto.bufferMinutes !== undefined && dto.bufferAfterMinutes === undefined) delete merged.bufferAfterMinutes;
    for (const [field, value] of Object.entries(dto)) {
      if (value === null) delete merged[field];
      else if (value !== undefined) merged[field] = value;
    }
    const fields = withDefaults(current.kind, checkedShape(current.kind, merged as RuleFieldsInput));
    if (current.active) await this.assertNoConflict(personId, current.kind, id, fields);
    if (!(await this.rules.update(tenants, id, columnsOf(fields)))) throw AvailabilityErrors.notFound();
    const updated = await this.getForAdmin(tenants, id);
    this.audit.record({ target: { type: 'availability rule', id }, bizEntityId: current.bizEntityId, before: toAvailabilityRuleDto(current), after: updated });
    return updated;
  }

  /** Soft delete: slots follow at the next generation run; history stays. */
  @Transactional()
  async remove(tenants: Tenants, id: string): Promise<void> {
    const { personId } = await this.require(tenants, id);
    // The person's update lock waits for bookings in flight (they share-lock it), so none slips past the check.
    await this.people.lockForRuleChange(tenants, personId);
    const current = await this.require(tenants, id);
    if (await this.rules.hasLiveFutureBookings(id)) throw AvailabilityErrors.hasLiveBookings();
    if (!(await this.rules.update(tenants, id, { active: false }))) throw AvailabilityErrors.notFound();
    const before = toAvailabilityRuleDto(current);
    this.audit.record({ target: { type: 'availability rule', id }, bizEntityId: current.bizEntityId, before, after: { ...before, active: false } });
  }

  /** Live rules per person, as the slot planner reads them. */
  async activeRuleWindowsOf(personIds: readonly string[]): Promise<Map<string, RuleWindow[]>> {
    const byPerson = new Map<string, RuleWindow[]>(personIds.map((id) => [id, []]));
    for (const rule of await this.rules.listActiveOfPeople(personIds)) {
      byPerson.get(rule.personId)?.push({ id: rule.id, kind: rule.kind, ...ruleFieldsOf(rule) });
    }
    return byPerson;
  }

  private async assertNoConflict(personId: string, kind: RuleKind, id: string, fields: RuleFields): Promise<void> {
    if (kind === 'blackout') return;
    const others = await this.rules.listActiveOfPerson(personId, kind);
    const conflicts = conflictingRuleIds(
      { id, kind, ...fields },
      others.map((rule) => ({ id: rule.id, kind: rule.kind, ...ruleFieldsOf(rule) })),
    );
    if (conflicts.length > 0) throw AvailabilityErrors.conflict(conflicts);
  }

  private async require(tenants: Tenants, id: string): Promise<AvailabilityRuleRow> {
    const rule = await this.rules.findInTenants(tenants, id);
    if (!rule) throw AvailabilityErrors.notFound();
    return rule;
  }
}

/** The fields if they make a rule of `kind`, with the deprecated `bufferMinutes` read as the after-buffer. */
function checkedShape(kind: RuleKind, fields: RuleFieldsInput): RuleFields {
  const errors = ruleShapeErrors(kind, fields);
  if (errors.length > 0) throw AvailabilityErrors.badShape(errors);
  return withoutBufferAlias(fields);
}

/** Weekly and override rules (days off too, as DOMAIN.md's table has it) default to no buffers and one booking per slot. */
function withDefaults(kind: RuleKind, fields: RuleFields): RuleFields {
  return kind === 'blackout' ? fields : { bufferBeforeMinutes: 0, bufferAfterMinutes: 0, capacity: 1, ...fields };
}
