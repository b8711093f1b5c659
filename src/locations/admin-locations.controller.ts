import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiCreatedResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { AdminApi, CurrentTenantScope } from '../common/auth/decorators';
import type { TenantScope } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/pagination';
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
  @ApiCreatedResponse({ type: LocationDto })
  @ProblemResponses(ErrorCode.UNKNOWN_REFERENCE)
  create(@CurrentTenantScope() scope: TenantScope, @Body() dto: CreateLocationDto): Promise<LocationDto> {
    return this.locations.create(scope, dto);
  }

  @Get()
  @ApiOkResponse({ type: LocationPageDto })
  list(@CurrentTenantScope() scope: TenantScope, @Query() query: AdminLocationQueryDto): Promise<Page<LocationDto>> {
    return this.locations.listForAdmin(scope, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: LocationDto })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@CurrentTenantScope() scope: TenantScope, @UuidParam('id') id: string): Promise<LocationDto> {
    return this.locations.getForAdmin(scope, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: LocationDto })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.HAS_LIVE_BOOKINGS)
  update(
    @CurrentTenantScope() scope: TenantScope,
    @UuidParam('id') id: string,
    @Body() dto: UpdateLocationDto,
  ): Promise<LocationDto> {
    return this.locations.update(scope, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Soft-deleted (active: false); history is kept.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.HAS_LIVE_BOOKINGS)
  remove(@CurrentTenantScope() scope: TenantScope, @UuidParam('id') id: string): Promise<void> {
    return this.locations.remove(scope, id);
  }
}
