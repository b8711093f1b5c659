import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/pagination';
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
  @ApiOkResponse({ type: LocationPageDto, description: 'Locations open for booking.' })
  list(@Query() query: PublicLocationQueryDto): Promise<Page<LocationDto>> {
    return this.locations.listOpen(query);
  }

  @Get(':locationId')
  @ApiOkResponse({ type: LocationDto })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@UuidParam('locationId') locationId: string): Promise<LocationDto> {
    return this.locations.getOpen(locationId);
  }
}
