import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../common/audit/audit-trail';
import type { Principal, Tenants } from '../common/auth/principal';
import { decodeCursor, decodeSequenceCursor, encodeSequenceCursor, Page, toPage } from '../common/http/pagination';
import { assertPrecondition, Precondition, withVersion } from '../common/http/preconditions';
import { Metadata, splitMetadataChange } from '../common/validation/metadata';
import type { Access } from '../common/database/sql';
import { holdRefusal } from './bookability';
import { BookingAction, nextStatus } from './booking-status';
import { AnnotatedField, BookingRecord, BookingsRepository, ChangeNote, LockedSlot, SlotFacts } from './bookings.repository';
import { BookingErrors } from './bookings.errors';
import {
  AdminBookingQueryDto,
  AdminCreateBookingDto,
  BookingDto,
  BookingHistoryEntryDto,
  BookingHistoryQueryDto,
  BookingQueryDto,
  BulkCancelDto,
  BulkCancelResultDto,
  CancelBookingDto,
  CreateHoldDto,
  UpdateBookingDto,
} from './dto/booking.dto';
import { DomainMetrics } from '../metrics/domain-metrics';
import { HoldAdmission } from './hold-admission';

/**
 * Holds, confirmations and cancellations (DOMAIN.md §Booking states). Every decision about a
 * slot's capacity runs under that slot's row lock, inside one transaction with the booking,
 * its history, its event and (through the idempotency interceptor) its idempotency record:
 * lock, read what the lock waited for, decide in `holdRefusal` (pure), write in one statement.
 */
@Injectable()
export class BookingsService {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly admission: HoldAdmission,
    private readonly metrics: DomainMetrics,
    private readonly audit: AuditTrail,
  ) {}

  /** Counted once decided: placed, or refused with its code. */
  async hold(principal: Principal, dto: CreateHoldDto): Promise<BookingDto> {
    try {
      const booking = await this.placeHold(principal, dto);
      this.metrics.holdCreated();
      return booking;
    } catch (error) {
      this.metrics.holdRefused(error);
      throw error;
    }
  }

  @Transactional()
  private async placeHold(principal: Principal, dto: CreateHoldDto): Promise<BookingDto> {
    const party = { userId: principal.userId, seats: dto.seats ?? 1 };
    const slot = await this.bookings.lockSlot(dto.slotId, { holdsOf: principal.userId });
    const facts = slot && (await this.bookings.slotFacts(slot, party));
    const offered = slot && facts && slot.requireExposure ? await this.admission.isOffered(principal.userId, slot.id) : true;
    const refusal = holdRefusal(slot && facts && { ...facts, seats: party.seats, offered, maxHolds: slot.maxActiveHoldsPerUser }, 'user');
    if (refusal) throw refusal;
    return this.insertBooking(
      slot!,
      facts!,
      { ...party, status: 'held', notes: dto.notes ?? null, metadata: dto.metadata ?? {} },
      { actorSub: principal.userId, actorKind: 'user' },
    );
  }

  /** On a user's behalf: no exposure, notice, horizon, seat cap or hold limit — but capacity, always. */
  @Transactional()
  async createForUser(principal: Principal, tenants: Tenants, dto: AdminCreateBookingDto): Promise<BookingDto> {
    const party = { userId: dto.userId.toLowerCase(), seats: dto.seats ?? 1 };
    const slot = await this.bookings.lockSlot(dto.slotId, { tenants });
    const facts = slot && (await this.bookings.slotFacts(slot, party));
    // A deleted location or person takes no new bookings, from operators either: their delete guard would be undone otherwise.
    const refusal = holdRefusal(slot && facts && { ...facts, seats: party.seats, offered: true, maxHolds: slot.maxActiveHoldsPerUser }, 'operator');
    if (refusal) throw refusal;
    const booking = await this.insertBooking(
      slot!,
      facts!,
      { ...party, status: dto.status ?? 'confirmed', notes: dto.notes ?? null, metadata: dto.metadata ?? {} },
      { actorSub: principal.userId, actorKind: 'admin' },
    );
    this.audit.record({ target: { type: 'booking', id: booking.id }, bizEntityId: slot!.bizEntityId, after: booking });
    return booking;
  }

  /**
   * Under the slot's row lock (the lock every booking decision takes first), so an admin who
   * blocks the slot meanwhile is seen: blocking leaves holds in place, and this is where they
   * stop. The update itself requires the hold to be live and still on that slot.
   */
  @Transactional()
  async confirm(principal: Principal, id: string): Promise<BookingDto> {
    const access = { ownerId: principal.userId };
    const slot = await this.bookings.lockSlotOfBooking(id, access);
    const confirmed =
      slot?.status === 'open'
        ? await this.bookings.transition(access, id, { from: 'held', to: 'confirmed', onSlot: slot.id }, actorOf(principal, access))
        : undefined;
    if (!confirmed) throw await this.whyNotConfirmed(access, id, slot);
    this.metrics.confirmed();
    return confirmed;
  }

  /** The refusal of a confirm, in order: absent, moved meanwhile, lapsed, not a hold, slot not open. */
  private async whyNotConfirmed(access: Access, id: string, slot: LockedSlot | undefined): Promise<Error> {
    const booking = await this.bookings.find(id, access);
    if (!booking || !slot) return BookingErrors.notFound();
    // Every move locks the booking's slot first, so this only differs if one finished before ours began.
    if (booking.slotId !== slot.id) return BookingErrors.moved();
    // A hold past its TTL reads as expired; confirming it is the one case with its own code.
    if (booking.holdLapsed || (booking.status === 'expired' && booking.shown.holdExpiresAt)) return BookingErrors.holdExpired();
    if (!nextStatus(booking.status, 'confirm')) return BookingErrors.invalidTransition(booking.status, 'confirm');
    return BookingErrors.slotUnavailable(`The slot is ${slot.status}; the hold can no longer be confirmed.`);
  }

  @Transactional()
  async cancel(principal: Principal, access: Access, id: string, dto: CancelBookingDto): Promise<BookingDto> {
    const booking = await this.lockBooking(id, access);
    // Releasing a hold is always allowed; a confirmed booking only up to the cutoff (admins may still).
    if ('ownerId' in access && booking.status === 'confirmed' && booking.insideCancelCutoff) {
      throw BookingErrors.tooLateToCancel(booking.cancelCutoffMinutes);
    }
    if ('tenants' in access && booking.requireCancellationReason && !dto.reason?.trim()) throw BookingErrors.reasonRequired();
    return this.transition(booking, access, 'cancel', principal, dto.reason ?? null);
  }

  /** Completed or no-show: only a confirmed booking, and only once its slot has started. */
  @Transactional()
  async closeOut(principal: Principal, tenants: Tenants, id: string, action: 'complete' | 'no_show'): Promise<BookingDto> {
    const booking = await this.lockBooking(id, { tenants });
    if (booking.status === 'confirmed' && !booking.started) throw BookingErrors.notStarted(action);
    return this.transition(booking, { tenants }, action, principal);
  }

  /**
   * Moves a live booking to another slot in one transaction, for its user (`access` by owner:
   * into a slot of one of their offers, within notice, horizon and the cancel cutoff) or an
   * operator (any slot of their businesses). Both slots are locked (in id order, so two opposite
   * moves cannot deadlock), the new one's room for the booking's seats checked, and the old one
   * freed by the same update — or nothing changes. The id, status and a hold's expiry stay.
   */
  @Transactional()
  async reschedule(principal: Principal, access: Access, id: string, slotId: string): Promise<BookingDto> {
    const by = 'ownerId' in access ? 'user' : 'operator';
    const current = await this.bookings.find(id, access);
    if (!current) throw BookingErrors.notFound();
    const target = slotId.toLowerCase();
    const locked = new Map<string, LockedSlot | undefined>();
    for (const lockId of [...new Set([current.slotId, target])].sort()) {
      // A user may move into any slot offered to them, an operator into their businesses' slots.
      locked.set(lockId, await this.bookings.lockSlot(lockId, 'tenants' in access ? { tenants: access.tenants } : {}));
    }
    const booking = await this.lockBooking(id, access);
    // Every move locks the booking's slot first, so this only differs if one finished before ours began.
    if (booking.slotId !== current.slotId) throw BookingErrors.moved();
    const slot = locked.get(target);
    const facts = slot && (await this.bookings.slotFacts(slot, { userId: booking.userId, seats: booking.seats }));
    if (!facts || !facts.locationOpen || !facts.personActive) throw BookingErrors.slotNotFound();
    // A user's booking stays with its business (whose operators, history and events it belongs to), as an operator's stays within theirs.
    if (by === 'user' && slot!.bizEntityId !== booking.bizEntityId) throw BookingErrors.slotNotFound();
    if (!nextStatus(booking.status, 'reschedule')) throw BookingErrors.invalidTransition(booking.status, 'reschedule');
    if (slot!.id === booking.slotId) throw BookingErrors.slotUnavailable('The booking is already on this slot.');
    // Leaving a confirmed slot is cancelling it there: the user's cutoff applies (a hold can always move, as it can be released).
    if (by === 'user' && booking.status === 'confirmed' && booking.insideCancelCutoff) throw BookingErrors.tooLateToMove(booking.cancelCutoffMinutes);
    const offered = by === 'user' && slot!.requireExposure ? await this.admission.isOffered(booking.userId, slot!.id) : true;
    const refusal = holdRefusal({ ...facts, seats: booking.seats, offered, maxHolds: slot!.maxActiveHoldsPerUser }, by, 'move');
    if (refusal) throw refusal;
    await this.expireLapsedHolds(slot!, facts);
    const moved = await this.bookings.move(access, id, { slotId: booking.slotId, status: booking.status }, slot!, {
      ...actorOf(principal, access),
      reason: 'rescheduled',
      details: { fromSlotId: booking.slotId, toSlotId: slot!.id },
    });
    if (!moved) throw BookingErrors.notFound();
    this.audit.record({ target: { type: 'booking', id }, bizEntityId: booking.bizEntityId, before: booking.shown, after: moved });
    return moved;
  }

  /**
   * An operator's change of a booking's metadata (merged: null removes a key) and notes, in any
   * status — annotating a cancelled or completed booking is reconciliation, not a state change.
   * Under the booking's row lock, where If-Match is checked; one history row names the fields.
   */
  @Transactional()
  async annotate(principal: Principal, tenants: Tenants, id: string, dto: UpdateBookingDto, precondition?: Precondition): Promise<BookingDto> {
    const changed = (['metadata', 'notes'] as const).filter((field): field is AnnotatedField => dto[field] !== undefined);
    if (changed.length === 0) throw BookingErrors.nothingToAnnotate();
    const booking = await this.lockBooking(id, { tenants });
    assertPrecondition(precondition, booking, 'booking');
    const annotated = await this.bookings.annotate(
      tenants,
      id,
      { metadata: dto.metadata && splitMetadataChange(dto.metadata), notes: dto.notes },
      { actorSub: principal.userId, actorKind: 'admin', details: { changed } },
    );
    if (!annotated) throw BookingErrors.notFound();
    this.audit.record({ target: { type: 'booking', id }, bizEntityId: booking.bizEntityId, before: booking.shown, after: annotated });
    return annotated;
  }

  @Transactional()
  async bulkCancel(principal: Principal, tenants: Tenants, dto: BulkCancelDto): Promise<BulkCancelResultDto> {
    const from = new Date(dto.from);
    const to = new Date(dto.to);
    if (to <= from) throw BookingErrors.rangeReversed();
    // A location of another business (or none) is 404, as anywhere else it is named.
    const bizEntityId = await this.bookings.locationBusinessInTenants(dto.locationId, tenants);
    if (!bizEntityId) throw BookingErrors.locationNotFound();
    const cancelled = await this.bookings.cancelLiveInRange(
      tenants,
      { locationId: dto.locationId, personIds: dto.personIds, from, to, reason: dto.reason },
      principal.userId,
    );
    this.audit.record({ target: { type: 'location', id: dto.locationId }, bizEntityId, report: { ...dto, cancelled } });
    return { cancelled };
  }

  async get(access: Access, id: string): Promise<BookingDto> {
    const booking = await this.bookings.find(id, access);
    if (!booking) throw BookingErrors.notFound();
    return withVersion(booking.shown, booking.version);
  }

  /** The booking's state changes, oldest first. */
  async history(access: Access, id: string, query: BookingHistoryQueryDto): Promise<Page<BookingHistoryEntryDto>> {
    const afterSequence = decodeSequenceCursor(query.cursor);
    if (!(await this.bookings.find(id, access))) throw BookingErrors.notFound();
    const rows = await this.bookings.history(access, id, { afterSequence, limit: query.limit });
    const visible = rows.slice(0, query.limit);
    const last = visible[visible.length - 1];
    return { data: visible.map((row) => row.entry), nextCursor: rows.length > query.limit && last ? encodeSequenceCursor(last.sequence) : null };
  }

  async list(access: Access, query: BookingQueryDto & Partial<AdminBookingQueryDto>): Promise<Page<BookingDto>> {
    const rows = await this.bookings.list(access, {
      userId: query.userId,
      locationId: query.locationId,
      personId: query.personId,
      status: query.status,
      metadata: query.metadata,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      after: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return toPage(rows, query.limit, (row) => row.shown, (row) => ({ at: row.startsAt, id: row.id }));
  }

  /** One sweeper batch: holds past their TTL written as expired, each with its event. */
  @Transactional()
  async expireLapsedHoldsBatch(batchSize: number): Promise<number> {
    const expired = await this.bookings.expireLapsedHolds(batchSize);
    this.metrics.holdsExpired(expired);
    return expired;
  }

  /** A new booking on a locked, admitted slot; lapsed holds on it are written expired first (they would block the unique index). */
  private async insertBooking(
    slot: LockedSlot,
    facts: SlotFacts,
    booking: { userId: string; seats: number; status: 'held' | 'confirmed'; notes: string | null; metadata: Metadata },
    note: ChangeNote,
  ): Promise<BookingDto> {
    await this.expireLapsedHolds(slot, facts);
    return this.bookings.insert({ slot, ...booking }, note);
  }

  private async expireLapsedHolds(slot: LockedSlot, facts: SlotFacts): Promise<void> {
    if (facts.lapsedHolds > 0) this.metrics.holdsExpired(await this.bookings.expireLapsedHoldsOnSlot(slot.id));
  }

  private async lockBooking(id: string, access: Access): Promise<BookingRecord> {
    const booking = await this.bookings.find(id, access, true);
    if (!booking) throw BookingErrors.notFound();
    return booking;
  }

  /** A transition the state machine allows from the booking's (locked) status, with its history and event. */
  private async transition(booking: BookingRecord, access: Access, action: BookingAction, principal: Principal, reason: string | null = null): Promise<BookingDto> {
    const to = nextStatus(booking.status, action);
    if (!to) throw BookingErrors.invalidTransition(booking.status, action);
    const changed = await this.bookings.transition(access, booking.id, { from: booking.status, to, cancelReason: reason }, { ...actorOf(principal, access), reason });
    if (!changed) throw BookingErrors.notFound();
    this.audit.record({ target: { type: 'booking', id: booking.id }, bizEntityId: booking.bizEntityId, before: booking.shown, after: changed });
    return changed;
  }
}

/** Who acts, by the API they came through: a user on their own bookings, an operator within tenants. */
function actorOf(principal: Principal, access: Access): Pick<ChangeNote, 'actorSub' | 'actorKind'> {
  return { actorSub: principal.userId, actorKind: 'ownerId' in access ? 'user' : 'admin' };
}
