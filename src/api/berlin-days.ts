/**
 * Where a Europe/Berlin calendar day begins, as an instant (ms since the epoch): what `from=YYYY-MM-DD` and
 * `to=YYYY-MM-DD` mean for instants such as recordedAt.
 */

const berlinHour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', hourCycle: 'h23' });

export function berlinDayStart(date: string): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  // Berlin is 1 or 2 hours ahead of UTC; the clocks change at 01:00 UTC, after both Berlin's and UTC's midnight,
  // so the offset at UTC midnight is the one in force at Berlin midnight.
  const offsetHours = Number(berlinHour.format(utcMidnight));
  return utcMidnight - offsetHours * 3_600_000;
}

export function nextBerlinDayStart(date: string): number {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return berlinDayStart(next);
}
