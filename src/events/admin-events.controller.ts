import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, CurrentTenants } from '../common/auth/decorators';
import type { Tenants } from '../common/auth/principal';
import { EventFeedQueryDto, EventPageDto } from './dto/event.dto';
import { EventsService } from './events.service';

@ApiTags('admin: events')
@ApiBearerAuth()
@AdminApi()
@Controller('v1/admin/events')
export class AdminEventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @ApiOperation({
    summary: 'Read the event feed',
    description:
      "The booking events of the caller's businesses in commit order, with the same ids and bodies as their webhooks. Resume with the " +
      '`nextAfter` of the previous page (or the `sequence` of the last event you processed): an event appears only once every transaction ' +
      'that started before it has ended, so resuming never skips one that committed late. An `after` that is not an event of your feed is 400.',
  })
  @ApiOkResponse({ type: EventPageDto, description: 'The next events after `after`, in commit order.' })
  feed(@CurrentTenants() tenants: Tenants, @Query() query: EventFeedQueryDto): Promise<EventPageDto> {
    return this.events.feed(tenants, query);
  }
}
