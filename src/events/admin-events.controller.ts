import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiOkResponse({
    type: EventPageDto,
    description:
      'Booking events of your businesses in commit order, resumable with `after`. An event appears once every ' +
      'transaction that started before it has finished, so resuming never skips one that committed late.',
  })
  feed(@CurrentTenants() tenants: Tenants, @Query() query: EventFeedQueryDto): Promise<EventPageDto> {
    return this.events.feed(tenants, query);
  }
}
