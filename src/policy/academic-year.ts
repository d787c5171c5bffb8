// Academic years: 2025-09-01..2026-08-31 is the year 2025, written "2025-26".

/** The calendar year in which the academic year containing `date` began. */
export function academicYearOf(date: string, yearStart = '09-01'): number {
  const year = Number(date.slice(0, 4));
  return date.slice(5, 10) >= yearStart ? year : year - 1;
}

export function academicYearLabel(startYear: number): string {
  return `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`;
}

/** Today's date (YYYY-MM-DD) in the school's time zone: a run just after midnight must not use yesterday. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
