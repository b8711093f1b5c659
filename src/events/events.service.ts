import { Injectable } from '@nestjs/common';
import type { Tenants } from '../common/auth/principal';
import { validationFailed } from '../common/errors/domain-error';
import { BookingEventDataDto, EventDto, EventFeedQueryDto, EventPageDto } from './dto/event.dto';
import { eventBody } from './event-types';
import { EventsRepository } from './events.repository';

/** The tenant's event feed, for hosts that poll instead of receiving webhooks. */
@Injectable()
export class EventsService {
  constructor(private readonly events: EventsRepository) {}

  async feed(tenants: Tenants, query: EventFeedQueryDto): Promise<EventPageDto> {
    const after = query.after ?? 0;
    // A position is an event of the caller's own feed; anything else cannot be resumed from.
    if (after > 0 && !(await this.events.existsInTenants(tenants, after))) {
      throw validationFailed([{ field: 'after', message: 'is not the sequence of an event in your feed' }]);
    }
    const rows = await this.events.listSettled(tenants, { after, types: query.types, limit: query.limit });
    const data: EventDto[] = rows.map((row) => ({
      id: row.id,
      sequence: row.sequence,
      ...eventBody(row.type, row.occurredAt, row.data as unknown as BookingEventDataDto),
    }));
    const last = data[data.length - 1];
    return { data, nextAfter: last ? last.sequence : after > 0 ? after : null };
  }
}
