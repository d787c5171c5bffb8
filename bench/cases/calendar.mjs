// Calendars: the staff timetables of the 1,500-pupil school (firstSync's run: calendar.users staff, a 30-day
// window), in requests per user-week, where a user is a mailbox rollcall writes lessons into and a week is 7 days of
// the window. Writes: Outlook requests of the first sync (retries included) against the minimum, one create per
// lesson per attendee (the plan's event creates). Reads: the calendarView requests of the nightly run that follows
// against the minimum, one page per mailbox with lessons. Graph operations ($batch unpacked); HTTP requests are ~1/20.
import { firstAndNightly } from './first-sync.mjs';

export const uses = ['firstSync', 'nightly'];
export const name = 'calendar';

const r = (x) => Number(x.toFixed(3));

export async function run(results = {}) {
  let { calendar, nightly } = results.firstSync?.calendar ? { calendar: results.firstSync.calendar, nightly: results.nightly } : {};
  if (!calendar) ({ calendar, nightly } = await firstAndNightly());
  const weeks = calendar.windowDays / 7;
  const userWeeks = calendar.mailboxesWritten * weeks;
  const minimumReads = calendar.mailboxesWritten;
  const writesPerUserWeek = calendar.eventWrites / userWeeks;
  const readsPerUserWeek = nightly.calendarReads / userWeeks;
  return {
    users: calendar.mailboxesWritten, weeks: r(weeks), userWeeks: r(userWeeks), calendarUsers: calendar.users,
    events: calendar.eventCreates,
    requestsPerUserWeek: r(writesPerUserWeek + readsPerUserWeek),
    minimumPerUserWeek: r((calendar.eventCreates + minimumReads) / userWeeks),
    writesPerUserWeek: r(writesPerUserWeek), minimumWritesPerUserWeek: r(calendar.eventCreates / userWeeks),
    readsPerUserWeek: r(readsPerUserWeek), minimumReadsPerUserWeek: r(minimumReads / userWeeks),
    mailboxesRead: nightly.mailboxes,
  };
}
