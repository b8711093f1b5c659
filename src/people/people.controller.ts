import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { Page, PageQueryDto } from '../common/http/pagination';
import { UuidParam } from '../common/http/uuid-param';
import { ProblemResponses } from '../openapi/problem-responses';
import { PersonDto, PersonPageDto } from './dto/person.dto';
import { PeopleService } from './people.service';

@ApiTags('people')
@ApiBearerAuth()
@Controller('v1/locations/:locationId/people')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Get()
  @ApiOperation({
    summary: 'List the people of a location',
    description: 'Active people of an active location, without contact details, in creation order: for a screen that lets the user pick a person before asking for their slots.',
  })
  @ApiOkResponse({ type: PersonPageDto, description: 'Active people of an active location (without contact details).' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  list(@UuidParam('locationId', 'location') locationId: string, @Query() query: PageQueryDto): Promise<Page<PersonDto>> {
    return this.people.listOpenAtLocation(locationId, query);
  }
}
