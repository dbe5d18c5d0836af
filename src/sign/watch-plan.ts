/**
 * The watcher's decisions, as pure functions of what it knows: which filter a listing can use, which jobs a
 * pass describes, how long until the next pass, and which errors are worth another try.
 */
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry'
import { JobListFilter } from './list-jobs'
import { JobState } from './types'

/** One pass a second: a finished job is noticed within about a second (half a second on average). */
export const PASS_INTERVAL_MS = 1000

/** Each throttled pass doubles the interval, up to this factor (8 s); a clean pass goes back to 1 s. */
export const MAX_BACKOFF_FACTOR = 8

/**
 * At most this many DescribeSigningJob calls a pass for jobs still in progress when the watcher describes
 * jobs one by one: with the job's own first and last reads, a run stays within 2 status calls per artifact
 * plus 2 per second of waiting, however many artifacts it signs.
 */
export const DESCRIBE_BUDGET = 2

/** ListSigningJobs pages a second, at most: many pages (a busy account) stretch the interval instead. */
export const MAX_PAGES_PER_SECOND = 2

/** Describes in flight at once within a pass (jobs that left the listing together, say). */
export const DESCRIBES_AT_ONCE = 8

/**
 * Filter a listing only on what every watched job shares: a job outside the filter would be missing from
 * the listing and described on every pass. Known from DescribeSigningJob; unknown, no filter.
 */
export function listFilter(jobs: readonly Pick<JobState, 'requestedBy' | 'jobInvoker'>[]): JobListFilter {
  const shared = (values: (string | undefined)[]): string | undefined =>
    values.length > 0 && values[0] !== undefined && values.every(value => value === values[0])
      ? values[0]
      : undefined
  const requestedBy = shared(jobs.map(job => job.requestedBy))
  if (requestedBy) return { requestedBy }
  const jobInvoker = shared(jobs.map(job => job.jobInvoker))
  return jobInvoker ? { jobInvoker } : {}
}

/**
 * One listing answers for every job, while describing costs a call per job: list as soon as there are more
 * jobs than the describe budget. One or two jobs are described directly, which also spares the final
 * describe and needs no signer:ListSigningJobs.
 */
export function shouldList(watchedJobs: number, listAvailable: boolean): boolean {
  return listAvailable && watchedJobs > DESCRIBE_BUDGET
}

/** The `budget` jobs read longest ago (round robin over passes), in that order. */
export function leastRecentlyPolled<T extends { polledAt: number }>(jobs: readonly T[], budget: number): T[] {
  return [...jobs].sort((a, b) => a.polledAt - b.polledAt).slice(0, budget)
}

/** Milliseconds from the start of one pass to the next. */
export function nextIntervalMs(backoffFactor: number, listPages: number): number {
  return Math.max(PASS_INTERVAL_MS * backoffFactor, (listPages * 1000) / MAX_PAGES_PER_SECOND)
}

export function nextBackoffFactor(current: number, throttled: boolean): number {
  return throttled ? Math.min(current * 2, MAX_BACKOFF_FACTOR) : 1
}

/**
 * The errors the SDK itself retries (its standard retry strategy: throttling, transient and 5xx): another
 * pass may succeed. Anything else (AccessDenied, a job that is gone, a validation error) will not.
 */
export function isRetriedBySdk(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const sdkError = error as Parameters<typeof isTransientError>[0] & Parameters<typeof isThrottlingError>[0]
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError)
}
