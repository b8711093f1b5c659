import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../common/audit/audit-trail';
import type { Tenants } from '../common/auth/principal';
import { decodeCursor, Page, toPage } from '../common/http/pagination';
import { assertPrecondition, Precondition } from '../common/http/preconditions';
import { AdminSlotQueryDto, SlotDto, toSlotDto, UpdateSlotDto } from './dto/slot.dto';
import { SlotsRepository } from './slots.repository';
import { SlotErrors } from './slots.errors';

@Injectable()
export class SlotsService {
  constructor(
    private readonly slots: SlotsRepository,
    private readonly audit: AuditTrail,
  ) {}

  async listForAdmin(tenants: Tenants, query: AdminSlotQueryDto): Promise<Page<SlotDto>> {
    const rows = await this.slots.listInTenants(tenants, {
      locationId: query.locationId,
      personId: query.personId,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      status: query.status,
      after: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return toPage(rows, query.limit, toSlotDto, (row) => ({ at: row.startsAt, id: row.id }));
  }

  async getForAdmin(tenants: Tenants, id: string): Promise<SlotDto> {
    const slot = await this.slots.findInTenants(tenants, id);
    if (!slot) throw SlotErrors.notFound();
    return toSlotDto(slot);
  }

  /** The public view of these slots, in the order asked (missing ids are left out). */
  async viewsOf(ids: readonly string[]): Promise<SlotDto[]> {
    const byId = new Map((await this.slots.findViewsUnscoped(ids)).map((view) => [view.id, toSlotDto(view)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Block, reopen or resize one slot. A retired slot stays retired. */
  @Transactional()
  async update(tenants: Tenants, id: string, dto: UpdateSlotDto, precondition?: Precondition): Promise<SlotDto> {
    const locked = await this.slots.findInTenants(tenants, id, true);
    if (!locked) throw SlotErrors.notFound();
    assertPrecondition(precondition, locked, 'slot');
    if (locked.status === 'retired') throw SlotErrors.retired();
    // Count again in a new statement: the locking read's count predates the lock wait. With
    // the row locked, no hold can slip in between this count and the update.
    const slot = (await this.slots.findInTenants(tenants, id))!;
    if (dto.capacity !== undefined && dto.capacity < slot.booked) throw SlotErrors.belowBooked(slot.booked);
    if (!(await this.slots.update(tenants, id, dto))) throw SlotErrors.notFound();
    const updated = toSlotDto((await this.slots.findInTenants(tenants, id))!);
    this.audit.record({ target: { type: 'slot', id }, bizEntityId: slot.bizEntityId, before: toSlotDto(slot), after: updated });
    return updated;
  }
}
