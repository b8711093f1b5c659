import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, CurrentTenants } from '../common/auth/decorators';
import type { Tenants } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/pagination';
import { AnswersETag, IfMatch, Precondition } from '../common/http/preconditions';
import { UuidParam } from '../common/http/uuid-param';
import { ProblemResponses } from '../openapi/problem-responses';
import { AdminLocationQueryDto, CreateLocationDto, UpdateLocationDto } from './dto/location-request.dto';
import { LocationDto, LocationPageDto } from './dto/location.dto';
import { LocationsService } from './locations.service';

@ApiTags('admin: locations')
@ApiBearerAuth()
@AdminApi()
@Controller('v1/admin/locations')
export class AdminLocationsController {
  constructor(private readonly locations: LocationsService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a location',
    description:
      "For a business in the token's `biz` (any business for a superadmin; another is 403). Policy fields left out take their defaults. " +
      'A business that is not in `public.biz_entity` is 422 UNKNOWN_REFERENCE.',
  })
  @ApiCreatedResponse({ type: LocationDto, description: 'The new location.' })
  @ProblemResponses(ErrorCode.UNKNOWN_REFERENCE)
  create(@CurrentTenants() tenants: Tenants, @Body() dto: CreateLocationDto): Promise<LocationDto> {
    return this.locations.create(tenants, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List locations', description: "Locations of the caller's businesses, active and deleted unless `active` says which, in creation order." })
  @ApiOkResponse({ type: LocationPageDto, description: 'A page of locations.' })
  list(@CurrentTenants() tenants: Tenants, @Query() query: AdminLocationQueryDto): Promise<Page<LocationDto>> {
    return this.locations.listForAdmin(tenants, query);
  }

  @Get(':id')
  @AnswersETag()
  @ApiOperation({ summary: 'Get a location', description: "One location of the caller's businesses, active or deleted." })
  @ApiOkResponse({ type: LocationDto, description: 'The location.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'location') id: string): Promise<LocationDto> {
    return this.locations.getForAdmin(tenants, id);
  }

  @Patch(':id')
  @AnswersETag()
  @ApiOperation({
    summary: 'Change a location',
    description:
      'Only the fields sent change; `policy` fields merge into the current policy. A time zone change, or `active: false`, ' +
      'while future bookings are live is 409 HAS_LIVE_BOOKINGS. `active: true` reopens a deleted location.',
  })
  @ApiOkResponse({ type: LocationDto, description: 'The location as it is now.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.HAS_LIVE_BOOKINGS)
  update(
    @CurrentTenants() tenants: Tenants,
    @UuidParam('id', 'location') id: string,
    @Body() dto: UpdateLocationDto,
    @IfMatch() precondition?: Precondition,
  ): Promise<LocationDto> {
    return this.locations.update(tenants, id, dto, precondition);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a location',
    description: 'A soft delete: the location reads `active: false`, keeps its history, and disappears from the public API. 409 HAS_LIVE_BOOKINGS while future bookings are live; deleting it again is 204 again.',
  })
  @ApiNoContentResponse({ description: 'Deleted (active: false); history is kept.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.HAS_LIVE_BOOKINGS)
  remove(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'location') id: string): Promise<void> {
    return this.locations.remove(tenants, id);
  }
}
