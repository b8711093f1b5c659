import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/pagination';
import { AnswersETag } from '../common/http/preconditions';
import { UuidParam } from '../common/http/uuid-param';
import { ProblemResponses } from '../openapi/problem-responses';
import { PublicLocationQueryDto } from './dto/location-request.dto';
import { LocationDto, LocationPageDto } from './dto/location.dto';
import { LocationsService } from './locations.service';

@ApiTags('locations')
@ApiBearerAuth()
@Controller('v1/locations')
export class LocationsController {
  constructor(private readonly locations: LocationsService) {}

  @Get()
  @ApiOperation({
    summary: 'List locations open for booking',
    description: 'Where the booking journey starts: active locations, optionally of one business, in creation order, paged with `limit` and `cursor`.',
  })
  @ApiOkResponse({ type: LocationPageDto, description: 'Locations open for booking.' })
  list(@Query() query: PublicLocationQueryDto): Promise<Page<LocationDto>> {
    return this.locations.listOpen(query);
  }

  @Get(':locationId')
  @AnswersETag()
  @ApiOperation({ summary: 'Get a location', description: 'An active location with its booking policy; a deleted one is 404.' })
  @ApiOkResponse({ type: LocationDto, description: 'The location.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@UuidParam('locationId', 'location') locationId: string): Promise<LocationDto> {
    return this.locations.getOpen(locationId);
  }
}
