import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import type { Principal, Tenants } from '../common/auth/principal';
import { decodeCursor, Page, toPage } from '../common/http/pagination';
import { BookingAction, BookingStatus, nextStatus } from './booking-status';
import { BookingsRepository, BookingView, LockedSlot } from './bookings.repository';
import { BookingErrors } from './bookings.errors';
import {
  AdminBookingQueryDto,
  AdminCreateBookingDto,
  BookingDto,
  BookingQueryDto,
  BulkCancelDto,
  BulkCancelResultDto,
  CancelBookingDto,
  CreateHoldDto,
  toBookingDto,
} from './dto/booking.dto';
import { DomainMetrics } from '../metrics/domain-metrics';
import { HoldAdmission } from './hold-admission';

/** Who acts on a booking: its owner through the public API, or an operator within tenants. */
type Access = { ownerId: string } | { tenants: Tenants };

/**
 * Holds, confirmations and cancellations (DOMAIN.md §Booking states). Every decision about a
 * slot's capacity runs under that slot's row lock, inside one transaction with the booking,
 * its event row and (through the idempotency interceptor) its idempotency record.
 */
@Injectable()
export class BookingsService {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly admission: HoldAdmission,
    private readonly metrics: DomainMetrics,
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
    const slot = await this.bookings.lockSlot(dto.slotId);
    // A deleted location or person leaves the public API; its slots stay open until generation retires them.
    if (!slot || !slot.locationActive || !slot.personActive) throw BookingErrors.slotNotFound();
    this.assertBookableNow(slot);
    // Before the offer and the hold limit: holding the same slot twice is this user's own
    // conflict (409), whatever else would also refuse it.
    await this.assertNotAlreadyBooked(slot, principal.userId);
    await this.admission.assertMayHold(principal, slot);
    const holds = await this.bookings.lockAndCountUserHolds(principal.userId, slot.locationId);
    if (holds >= slot.maxActiveHoldsPerUser) throw BookingErrors.holdLimit(slot.maxActiveHoldsPerUser);
    const id = await this.take(slot, principal.userId, 'held', dto.notes ?? null, principal.userId);
    return this.view(id);
  }

  /** On a user's behalf: no exposure, notice, horizon or hold limit — but capacity, always. */
  @Transactional()
  async createForUser(principal: Principal, tenants: Tenants, dto: AdminCreateBookingDto): Promise<BookingDto> {
    const slot = await this.bookings.lockSlot(dto.slotId, tenants);
    // A deleted location or person takes no new bookings, from operators either: their
    // delete guard would be undone otherwise.
    if (!slot || !slot.locationActive || !slot.personActive) throw BookingErrors.slotNotFound();
    if (slot.started) throw BookingErrors.slotInPast();
    await this.assertNotAlreadyBooked(slot, dto.userId.toLowerCase());
    const id = await this.take(slot, dto.userId.toLowerCase(), dto.status ?? 'confirmed', dto.notes ?? null, principal.userId);
    return this.view(id);
  }

  /**
   * Under the slot's row lock, then the booking's (the order every booking decision takes), so
   * an admin who blocks the slot meanwhile is seen: blocking leaves holds in place, and this is
   * where they stop.
   */
  @Transactional()
  async confirm(principal: Principal, id: string): Promise<BookingDto> {
    const access = { ownerId: principal.userId };
    const slot = await this.bookings.lockSlotOfBooking(id, access);
    const booking = await this.lockBooking(id, access);
    // Every move locks the booking's slot first, so this only differs if one finished before ours began.
    if (slot?.id !== booking.slotId) throw BookingErrors.moved();
    // A hold past its TTL reads as expired; confirming it is the one case with its own code.
    if (booking.status === 'expired' && booking.holdExpiresAt) throw BookingErrors.holdExpired();
    if (!nextStatus(booking.status, 'confirm')) throw BookingErrors.invalidTransition(booking.status, 'confirm');
    if (slot.status !== 'open') throw BookingErrors.slotUnavailable(`The slot is ${slot.status}; the hold can no longer be confirmed.`);
    await this.transition(booking, access, 'confirm', principal.userId);
    this.metrics.confirmed();
    return this.view(id);
  }

  @Transactional()
  async cancel(principal: Principal, access: Access, id: string, dto: CancelBookingDto): Promise<BookingDto> {
    const booking = await this.lockBooking(id, access);
    // Releasing a hold is always allowed; a confirmed booking only up to the cutoff (admins may still).
    if ('ownerId' in access && booking.status === 'confirmed' && booking.insideCancelCutoff) {
      throw BookingErrors.tooLateToCancel(booking.cancelCutoffMinutes);
    }
    await this.transition(booking, access, 'cancel', principal.userId, dto.reason ?? null);
    return this.view(id);
  }

  /** Completed or no-show: only a confirmed booking, and only once its slot has started. */
  @Transactional()
  async closeOut(principal: Principal, tenants: Tenants, id: string, action: 'complete' | 'no_show'): Promise<BookingDto> {
    const booking = await this.lockBooking(id, { tenants });
    if (booking.status === 'confirmed' && !booking.started) {
      throw BookingErrors.notStarted(action);
    }
    await this.transition(booking, { tenants }, action, principal.userId);
    return this.view(id);
  }

  /**
   * Moves a live booking to another slot in one transaction: both slots are locked (in id
   * order, so two opposite moves cannot deadlock), the new one's capacity checked, and the
   * old one freed by the same update — or nothing changes.
   */
  @Transactional()
  async reschedule(principal: Principal, tenants: Tenants, id: string, slotId: string): Promise<BookingDto> {
    const current = await this.bookings.find(id, { tenants });
    if (!current) throw BookingErrors.notFound();
    const locked = new Map<string, LockedSlot | undefined>();
    for (const lockId of [...new Set([current.slotId, slotId])].sort()) locked.set(lockId, await this.bookings.lockSlot(lockId, tenants));
    const booking = await this.lockBooking(id, { tenants });
    // Every move locks the booking's slot first, so this only differs if one finished before ours began.
    if (booking.slotId !== current.slotId) throw BookingErrors.moved();
    const slot = locked.get(slotId);
    if (!slot || !slot.locationActive || !slot.personActive) throw BookingErrors.slotNotFound();
    if (!nextStatus(booking.status, 'reschedule')) throw BookingErrors.invalidTransition(booking.status, 'reschedule');
    if (slot.id === booking.slotId) throw BookingErrors.slotUnavailable('The booking is already on this slot.');
    if (slot.started) throw BookingErrors.slotInPast();
    await this.assertNotAlreadyBooked(slot, booking.userId);
    await this.assertRoom(slot);
    if (!(await this.bookings.moveToSlot(id, tenants, slot))) throw BookingErrors.notFound();
    await this.bookings.recordEvents([
      {
        bookingId: id,
        bizEntityId: slot.bizEntityId,
        actorSub: principal.userId,
        from: booking.status,
        to: booking.status,
        reason: 'rescheduled',
        details: { fromSlotId: booking.slotId, toSlotId: slot.id },
      },
    ]);
    return this.view(id);
  }

  @Transactional()
  async bulkCancel(principal: Principal, tenants: Tenants, dto: BulkCancelDto): Promise<BulkCancelResultDto> {
    const from = new Date(dto.from);
    const to = new Date(dto.to);
    if (to <= from) throw BookingErrors.rangeReversed();
    // A location of another business (or none) is 404, as anywhere else it is named.
    if (!(await this.bookings.locationInScope(dto.locationId, tenants))) throw BookingErrors.locationNotFound();
    const cancelled = await this.bookings.cancelLiveInRange(tenants, {
      locationId: dto.locationId,
      personIds: dto.personIds,
      from,
      to,
      reason: dto.reason,
    });
    await this.bookings.recordEvents(
      cancelled.map((row) => ({
        bookingId: row.id,
        bizEntityId: row.bizEntityId,
        actorSub: principal.userId,
        from: row.from,
        to: 'cancelled' as const,
        reason: dto.reason,
        details: { bulk: true },
      })),
    );
    return { cancelled: cancelled.length };
  }

  async get(access: Access, id: string): Promise<BookingDto> {
    const booking = await this.bookings.find(id, access);
    if (!booking) throw BookingErrors.notFound();
    return toBookingDto(booking);
  }

  async list(access: Access, query: BookingQueryDto & Partial<AdminBookingQueryDto>): Promise<Page<BookingDto>> {
    const rows = await this.bookings.list(access, {
      userId: query.userId,
      locationId: query.locationId,
      personId: query.personId,
      status: query.status,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
      after: decodeCursor(query.cursor),
      limit: query.limit,
    });
    return toPage(rows, query.limit, toBookingDto, (row) => ({ at: row.startsAt, id: row.id }));
  }

  /** Not started, outside min-notice and within the horizon (DOMAIN.md); openness and room come with the lock. */
  private assertBookableNow(slot: LockedSlot): void {
    if (slot.started) throw BookingErrors.slotInPast();
    if (slot.insideMinNotice) throw BookingErrors.outsideWindow('The slot starts too soon to be booked (minimum notice).');
    if (slot.beyondHorizon) throw BookingErrors.outsideWindow('The slot is beyond the booking horizon.');
  }

  /** One sweeper batch: holds past their TTL written as expired, each with its event. */
  @Transactional()
  async expireStaleHolds(batchSize: number): Promise<number> {
    const expired = await this.bookings.expireStaleHolds(batchSize);
    await this.recordExpiries(expired);
    return expired.length;
  }

  /** Under the slot's row lock, so no concurrent hold of the same user can slip past it. */
  private async assertNotAlreadyBooked(slot: LockedSlot, userId: string): Promise<void> {
    if (await this.bookings.userHasLiveOnSlot(slot.id, userId)) {
      throw BookingErrors.slotUnavailable('You already hold or booked this slot.');
    }
  }

  /** Capacity, under the slot's row lock: confirmed + live holds must stay within it. */
  private async assertRoom(slot: LockedSlot): Promise<void> {
    await this.recordExpiries(await this.bookings.expireStaleHoldsOnSlot(slot.id));
    if (slot.status !== 'open') throw BookingErrors.slotUnavailable(`The slot is ${slot.status}.`);
    if ((await this.bookings.countLiveOnSlot(slot.id)) >= slot.capacity) throw BookingErrors.slotUnavailable('The slot is full.');
  }

  private async take(slot: LockedSlot, userId: string, status: 'held' | 'confirmed', notes: string | null, actor: string): Promise<string> {
    await this.assertRoom(slot);
    const id = await this.bookings.insert({ slot, userId, status, notes });
    await this.bookings.recordEvents([{ bookingId: id, bizEntityId: slot.bizEntityId, actorSub: actor, from: null, to: status }]);
    return id;
  }

  private recordExpiries(expired: readonly { id: string; bizEntityId: string }[]): Promise<void> {
    this.metrics.holdsExpired(expired.length);
    return this.bookings.recordEvents(
      expired.map((row) => ({ bookingId: row.id, bizEntityId: row.bizEntityId, actorSub: null, from: 'held', to: 'expired', reason: 'hold TTL passed' })),
    );
  }

  private async lockBooking(id: string, access: Access): Promise<BookingView> {
    const booking = await this.bookings.find(id, access, true);
    if (!booking) throw BookingErrors.notFound();
    return booking;
  }

  private async transition(
    booking: BookingView,
    access: Access,
    action: BookingAction,
    actor: string,
    reason: string | null = null,
  ): Promise<BookingStatus> {
    const to = nextStatus(booking.status, action);
    if (!to) throw BookingErrors.invalidTransition(booking.status, action);
    if (!(await this.bookings.setStatus(booking.id, access, to, reason))) throw BookingErrors.notFound();
    await this.bookings.recordEvents([{ bookingId: booking.id, bizEntityId: booking.bizEntityId, actorSub: actor, from: booking.status, to, reason }]);
    return to;
  }

  private async view(id: string): Promise<BookingDto> {
    const booking = await this.bookings.find(id, {});
    return toBookingDto(booking!);
  }
}
