/**
 * The CronJob controller's question about time, as data: given a CronJob's schedule, the last
 * time it ran (or when it was created) and now, which scheduled time is due, how many were
 * missed, and when to look again. cronjob-controller.ts asks it on every sync; the answer is
 * exercise `cron-schedule` (solutions/cronjob/cron-schedule.ts).
 *
 * Times are the lab's virtual ms (lab-kernel/api/time.ts: 0 is 2025-01-01T00:00:00Z, a
 * Wednesday; calendarOf and calendarMs give the calendar). Schedules are in UTC: the lab
 * models no spec.timeZone other than UTC.
 *
 *   cronSchedule({ schedule: '*\/5 * * * *', lastScheduleMs: 0, nowMs: 11 * 60_000 })
 *   // => { scheduledMs: 600_000, missed: 2, tooManyMissed: false, nextMs: 900_000 }
 *   //    00:05 and 00:10 were due since 00:00: run 00:10 (the most recent) now, look again at 00:15
 *   cronSchedule({ schedule: '*\/5 * * * *', lastScheduleMs: 0, nowMs: 11 * 60_000, startingDeadlineSeconds: 30 })
 *   // => { missed: 0, tooManyMissed: false, nextMs: 900_000 }: 00:10 is more than 30 s ago
 */
export interface CronScheduleInput {
  /** spec.schedule: five fields (minute hour day-of-month month day-of-week) or a macro (@hourly ...). */
  schedule: string;
  /** status.lastScheduleTime, or the CronJob's creationTimestamp before its first run (virtual ms). */
  lastScheduleMs: number;
  nowMs: number;
  /** spec.startingDeadlineSeconds: a scheduled time older than this is not started any more. */
  startingDeadlineSeconds?: number;
}

export interface CronScheduleDecision {
  /** The most recent scheduled time, after lastScheduleMs and at or before now, to start a Job for; absent when none is due. */
  scheduledMs?: number;
  /**
   * How many scheduled times were missed since lastScheduleMs (or since the starting deadline,
   * if later): 0 if none is due, 1 if only the most recent is; beyond that the count
   * kube-controller-manager estimates from the gap between the first two (utils.go).
   */
  missed: number;
  /** More than TOO_MANY_MISSED were missed: the controller warns (TooManyMissedTimes), and still starts the most recent. */
  tooManyMissed: boolean;
  /** The first scheduled time after now: when the controller looks again. Absent for a schedule that never comes (Feb 30). */
  nextMs?: number;
}

export type CronScheduleFn = (input: CronScheduleInput) => CronScheduleDecision;

/** More missed start times than this is "too many" (utils.go: "more than 80, but less than lots"). */
export const TOO_MANY_MISSED = 100;
