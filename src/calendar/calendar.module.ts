import { Module } from '@nestjs/common';
import { PeopleModule } from '../people/people.module';
import { AdminCalendarController } from './admin-calendar.controller';
import { CalendarController } from './calendar.controller';
import { CalendarRepository } from './calendar.repository';
import { CalendarService } from './calendar.service';

@Module({
  imports: [PeopleModule],
  controllers: [CalendarController, AdminCalendarController],
  providers: [CalendarService, CalendarRepository],
})
export class CalendarModule {}
