import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AdminApi, CurrentTenantScope } from '../common/auth/decorators';
import type { TenantScope } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/pagination';
import { UuidParam } from '../common/http/uuid-param';
import { ProblemResponses } from '../openapi/problem-responses';
import { AdminPersonQueryDto, CreatePersonDto, UpdatePersonDto } from './dto/person-request.dto';
import { PersonDto, PersonPageDto } from './dto/person.dto';
import { PeopleService } from './people.service';

@ApiTags('admin: people')
@ApiBearerAuth()
@AdminApi()
@Controller('v1/admin/people')
export class AdminPeopleController {
  constructor(private readonly people: PeopleService) {}

  @Post()
  @ApiCreatedResponse({ type: PersonDto })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  create(@CurrentTenantScope() scope: TenantScope, @Body() dto: CreatePersonDto): Promise<PersonDto> {
    return this.people.create(scope, dto);
  }

  @Get()
  @ApiOkResponse({ type: PersonPageDto })
  list(@CurrentTenantScope() scope: TenantScope, @Query() query: AdminPersonQueryDto): Promise<Page<PersonDto>> {
    return this.people.listForAdmin(scope, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: PersonDto })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@CurrentTenantScope() scope: TenantScope, @UuidParam('id') id: string): Promise<PersonDto> {
    return this.people.getForAdmin(scope, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: PersonDto })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.HAS_LIVE_BOOKINGS)
  update(
    @CurrentTenantScope() scope: TenantScope,
    @UuidParam('id') id: string,
    @Body() dto: UpdatePersonDto,
  ): Promise<PersonDto> {
    return this.people.update(scope, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Soft-deleted (active: false); history is kept.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.HAS_LIVE_BOOKINGS)
  remove(@CurrentTenantScope() scope: TenantScope, @UuidParam('id') id: string): Promise<void> {
    return this.people.remove(scope, id);
  }
}
