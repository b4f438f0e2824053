import { setTimeout as sleep } from 'node:timers/promises';

const VN_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

/** Today's date in Vietnam (UTC+7, no daylight saving), as YYYY-MM-DD. */
export const vnToday = (): string => new Date(Date.now() + VN_OFFSET_MS).toISOString().slice(0, 10);

/**
 * Tests that count "today's" dossiers need every action on one Vietnamese day. CI may run at
 * 17:00 UTC, which is midnight in Hanoi: if the day ends within `marginMs`, wait until it has
 * turned, and only then read the date.
 */
export async function vnDayWithRoom(marginMs = 120_000): Promise<string> {
  const left = DAY_MS - ((Date.now() + VN_OFFSET_MS) % DAY_MS);
  if (left < marginMs) await sleep(left + 1_000);
  return vnToday();
}
