/**
 * Virtual time as Kubernetes shows it. The simulation's clock counts milliseconds from 0;
 * timestamps in objects count from a fixed epoch, so runs are byte-for-byte repeatable:
 *
 *   timestamp(0)               // => '2025-01-01T00:00:00Z'
 *   timestamp(90_500)          // => '2025-01-01T00:01:30Z'         (RFC 3339, whole seconds, like metav1.Time)
 *   microTimestamp(90_500)     // => '2025-01-01T00:01:30.500000Z'  (six fractional digits, like metav1.MicroTime)
 *   age(0, 135_000)            // => '2m15s'                        (kubectl's AGE column)
 */
export const EPOCH = { year: 2025, month: 1, day: 1 };

/** The last timestamp made, by its second: most come in runs at one instant (a Summary's dozens, a status's conditions). */
let lastStamp = { second: NaN, text: '' };

export function timestamp(virtualMs: number): string {
  const totalSeconds = Math.floor(virtualMs / 1000);
  if (totalSeconds === lastStamp.second) return lastStamp.text;
  const days = Math.floor(totalSeconds / 86400);
  const secondsOfDay = totalSeconds - days * 86400;
  const { year, month, day } = civilFromDays(daysFromCivil(EPOCH.year, EPOCH.month, EPOCH.day) + days);
  const hh = Math.floor(secondsOfDay / 3600);
  const mm = Math.floor((secondsOfDay % 3600) / 60);
  const ss = secondsOfDay % 60;
  const text = `${year}-${pad(month)}-${pad(day)}T${pad(hh)}:${pad(mm)}:${pad(ss)}Z`;
  lastStamp = { second: totalSeconds, text };
  return text;
}

/**
 * A metav1.MicroTime, as a Lease's acquireTime and renewTime carry it: RFC 3339 with
 * microseconds. Virtual time has whole milliseconds, so the last three digits are always 0.
 */
export function microTimestamp(virtualMs: number): string {
  return `${timestamp(virtualMs).slice(0, -1)}.${String(virtualMs % 1000).padStart(3, '0')}000Z`;
}

/**
 * A duration as Go's time.Duration prints it, to the millisecond:
 *   goDuration(612) => '612ms'   goDuration(1200) => '1.2s'   goDuration(62_500) => '1m2.5s'
 *   goDuration(300_000) => '5m0s'   goDuration(3_600_000) => '1h0m0s'   goDuration(0) => '0s'
 */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = String((ms % 60_000) / 1000);
  if (h > 0) return `${h}h${m}m${seconds}s`;
  return m > 0 ? `${m}m${seconds}s` : `${seconds}s`;
}

/** kubectl's human duration (HumanDuration): 45s, 2m15s, 3h, 2d4h ... */
export function age(createdMs: number, nowMs: number): string {
  const s = Math.max(0, Math.floor((nowMs - createdMs) / 1000));
  if (s < 60 * 2) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 60 * 3) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  return `${d}d`;
}

/**
 * The calendar of a virtual instant, in UTC (what a cron schedule matches against). weekday
 * counts from Sunday, 0, as cron does; the lab's clock starts on a Wednesday.
 *
 *   calendarOf(0)            // => { year: 2025, month: 1, day: 1, hour: 0, minute: 0, weekday: 3 }
 *   calendarOf(90_061_000)   // => { year: 2025, month: 1, day: 2, hour: 1, minute: 1, weekday: 4 }
 */
export interface Calendar {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

export function calendarOf(virtualMs: number): Calendar {
  const minutes = Math.floor(virtualMs / 60_000);
  const days = Math.floor(minutes / 1440);
  const epochDays = daysFromCivil(EPOCH.year, EPOCH.month, EPOCH.day) + days;
  const { year, month, day } = civilFromDays(epochDays);
  const minuteOfDay = minutes - days * 1440;
  // 1970-01-01 (day 0) was a Thursday.
  return { year, month, day, hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60, weekday: (((epochDays + 4) % 7) + 7) % 7 };
}

/**
 * The virtual ms of a calendar minute, in UTC; a month past 12, a day past the month's last,
 * an hour past 23 roll over into the next, as Go's time.Date does:
 *
 *   calendarMs(2025, 1, 1)            // => 0
 *   calendarMs(2025, 1, 32, 0, 5)     // => calendarMs(2025, 2, 1, 0, 5) = 2_678_700_000
 *   calendarMs(2025, 13, 1)           // => calendarMs(2026, 1, 1)
 */
export function calendarMs(year: number, month: number, day: number, hour = 0, minute = 0): number {
  const y = year + Math.floor((month - 1) / 12);
  const m = (((month - 1) % 12) + 12) % 12 + 1;
  const days = daysFromCivil(y, m, 1) + day - 1 - daysFromCivil(EPOCH.year, EPOCH.month, EPOCH.day);
  return ((days * 24 + hour) * 60 + minute) * 60_000;
}

/** Seconds since the Unix epoch (what Go's time.Unix() gives): unixSeconds(0) => 1_735_689_600. */
export function unixSeconds(virtualMs: number): number {
  return daysFromCivil(EPOCH.year, EPOCH.month, EPOCH.day) * 86_400 + Math.floor(virtualMs / 1000);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z, in UTC: rfc1123z(300_000) => 'Wed, 01 Jan 2025 00:05:00 +0000'. */
export function rfc1123z(virtualMs: number): string {
  const c = calendarOf(virtualMs);
  return `${WEEKDAYS[c.weekday]}, ${pad(c.day)} ${MONTHS[c.month - 1]} ${c.year} ${timestamp(virtualMs).slice(11, 19)} +0000`;
}

/** What `date` prints (busybox's default, "%a %b %e %H:%M:%S %Z %Y"), in UTC: unixDate(61_000) => 'Wed Jan  1 00:01:01 UTC 2025'. */
export function unixDate(virtualMs: number): string {
  return dateLine(virtualMs, ' UTC');
}

/** C's ctime() in UTC, without its newline (iptables-save's stamp): ctime(61_000) => 'Wed Jan  1 00:01:01 2025'. */
export function ctime(virtualMs: number): string {
  return dateLine(virtualMs, '');
}

function dateLine(virtualMs: number, zone: string): string {
  const c = calendarOf(virtualMs);
  return `${WEEKDAYS[c.weekday]} ${MONTHS[c.month - 1]} ${String(c.day).padStart(2, ' ')} ${timestamp(virtualMs).slice(11, 19)}${zone} ${c.year}`;
}

/** Parses a timestamp made by `timestamp()` back into virtual ms. */
export function virtualMs(ts: string): number {
  const m = ts.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/);
  if (m === null) throw new Error(`not an RFC 3339 timestamp: ${JSON.stringify(ts)}`);
  const days = daysFromCivil(+m[1], +m[2], +m[3]) - daysFromCivil(EPOCH.year, EPOCH.month, EPOCH.day);
  return ((days * 24 + +m[4]) * 60 + +m[5]) * 60_000 + +m[6] * 1000;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

// Howard Hinnant's days-from-civil algorithm (proleptic Gregorian calendar).
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): { year: number; month: number; day: number } {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp + (mp < 10 ? 3 : -9);
  return { year: era * 400 + yoe + (month <= 2 ? 1 : 0), month, day };
}
