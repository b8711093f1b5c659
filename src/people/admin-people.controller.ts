import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, CurrentTenants } from '../common/auth/decorators';
import type { Tenants } from '../common/auth/principal';
import { ErrorCode } from '../common/errors/error-code';
import { Page } from '../common/http/pagination';
import { AnswersETag, IfMatch, Precondition } from '../common/http/preconditions';
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
  @ApiOperation({ summary: 'Add a person', description: "A person works at one location of the caller's businesses, for life. Give them availability rules next." })
  @ApiCreatedResponse({ type: PersonDto, description: 'The new person.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  create(@CurrentTenants() tenants: Tenants, @Body() dto: CreatePersonDto): Promise<PersonDto> {
    return this.people.create(tenants, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List people', description: "People of the caller's businesses, by location and active or deleted, in creation order." })
  @ApiOkResponse({ type: PersonPageDto, description: 'A page of people.' })
  list(@CurrentTenants() tenants: Tenants, @Query() query: AdminPersonQueryDto): Promise<Page<PersonDto>> {
    return this.people.listForAdmin(tenants, query);
  }

  @Get(':id')
  @AnswersETag()
  @ApiOperation({ summary: 'Get a person', description: "One person of the caller's businesses, with contact details." })
  @ApiOkResponse({ type: PersonDto, description: 'The person.' })
  @ProblemResponses(ErrorCode.NOT_FOUND)
  get(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'person') id: string): Promise<PersonDto> {
    return this.people.getForAdmin(tenants, id);
  }

  @Patch(':id')
  @AnswersETag()
  @ApiOperation({
    summary: 'Change a person',
    description: 'Only the fields sent change. `active: false` while their future bookings are live is 409 HAS_LIVE_BOOKINGS; `active: true` brings a deleted person back.',
  })
  @ApiOkResponse({ type: PersonDto, description: 'The person as they are now.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.HAS_LIVE_BOOKINGS)
  update(
    @CurrentTenants() tenants: Tenants,
    @UuidParam('id', 'person') id: string,
    @Body() dto: UpdatePersonDto,
    @IfMatch() precondition?: Precondition,
  ): Promise<PersonDto> {
    return this.people.update(tenants, id, dto, precondition);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a person',
    description: 'A soft delete: they read `active: false`, keep their history, and are offered no more. 409 HAS_LIVE_BOOKINGS while their future bookings are live.',
  })
  @ApiNoContentResponse({ description: 'Deleted (active: false); history is kept.' })
  @ProblemResponses(ErrorCode.NOT_FOUND, ErrorCode.HAS_LIVE_BOOKINGS)
  remove(@CurrentTenants() tenants: Tenants, @UuidParam('id', 'person') id: string): Promise<void> {
    return this.people.remove(tenants, id);
  }
}
