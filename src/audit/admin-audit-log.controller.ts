import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminApi, CurrentTenants } from '../common/auth/decorators';
import type { Tenants } from '../common/auth/principal';
import { Page } from '../common/http/pagination';
import { AuditService } from './audit.service';
import { AuditEntryDto, AuditEntryPageDto, AuditLogQueryDto } from './dto/audit-entry.dto';

@ApiTags('admin: audit log')
@ApiBearerAuth()
@AdminApi()
@Controller('v1/admin/audit-log')
export class AdminAuditLogController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary: 'Read the audit log',
    description:
      "Who changed what in the caller's businesses: one entry per admin write that took effect (a refused or rolled-back write leaves none, " +
      'a replayed Idempotency-Key adds none), with the fields it changed before and after, oldest first.',
  })
  @ApiOkResponse({ type: AuditEntryPageDto, description: 'A page of audit entries.' })
  list(@CurrentTenants() tenants: Tenants, @Query() query: AuditLogQueryDto): Promise<Page<AuditEntryDto>> {
    return this.audit.list(tenants, query);
  }
}
