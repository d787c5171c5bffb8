// Lessons carry the school's local time with its offset. Europe/London is on +01:00 from the last Sunday of
// March to the last Sunday of October (changes at 01:00 UTC; lessons never straddle them).
function lastSunday(year: number, month: number): number {
  const d = new Date(Date.UTC(year, month + 1, 0));
  return d.getUTCDate() - d.getUTCDay();
}

export function londonOffset(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const start = lastSunday(y, 2);
  const end = lastSunday(y, 9);
  const bst = (m > 3 && m < 10) || (m === 3 && d >= start) || (m === 10 && d < end);
  return bst ? '+01:00' : '+00:00';
}

export function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}
