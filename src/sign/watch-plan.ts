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

/**
 * Calls a second the waiting may cost, at most: listing pages and describes of jobs still in progress (a
 * job's first and last reads are its artifact's). More of them (a busy account) stretch the interval.
 */
export const CALLS_PER_SECOND = 2

/** How many jobs of others the listing must show before the watcher says the run shares its session. */
export const CROWD_MINIMUM = 10

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

/** Milliseconds from the start of one pass to the next, given the calls the pass spent on waiting. */
export function nextIntervalMs(backoffFactor: number, waitingCalls: number): number {
  return Math.max(PASS_INTERVAL_MS * backoffFactor, (waitingCalls * 1000) / CALLS_PER_SECOND)
}

/**
 * The most pages a listing may read: one listing answers for every job, describing costs a call per job.
 * A listing that would need as many pages as there are jobs is no cheaper than describing them (and
 * reaches each job less often within the budget), so it stops there.
 */
export function maxListingPages(watchedJobs: number): number {
  return Math.max(1, watchedJobs - 1)
}

/**
 * Whether listing still pays for these jobs: it cost fewer pages than there are jobs, and it answered for
 * them: every page read, or most of the jobs accounted for (`seen`: listed, or listed before and now gone).
 * A listing that stopped without accounting for most of them says nothing of them: describing is cheaper.
 */
export function listingPays(
  listing: { pages: number; complete: boolean; seen: number },
  watchedJobs: number
): boolean {
  return listing.pages < watchedJobs && (listing.complete || listing.seen * 2 >= watchedJobs)
}

/** Waiting calls a pass may still spend: 2 a second since the watching began, less those spent; at least 1. */
export function waitingCredit(budget: { since: number; spent: number }, now: number): number {
  return Math.max(1, Math.floor(((now - budget.since) / 1000) * CALLS_PER_SECOND) - budget.spent)
}

/** Whether the listing shows many more jobs in progress than the run's own: other runs share its identity. */
export function isCrowded(others: number, own: number): boolean {
  return others >= Math.max(own, CROWD_MINIMUM)
}

/**
 * The one warning of a crowded listing: what it costs, and the fix. A run whose identity (configure-aws-
 * credentials' default role session name, shared by every run) lists other runs' jobs pages through them.
 */
export function crowdWarning(
  filter: JobListFilter,
  listing: { others: number; complete: boolean },
  own: number,
  describing: boolean
): string {
  const who = filter.requestedBy
    ? `requested by ${filter.requestedBy}`
    : filter.jobInvoker
      ? `of account ${filter.jobInvoker}`
      : 'of this account'
  const others = `${listing.complete ? '' : 'at least '}${listing.others}`
  const instead = describing
    ? `Watching this run's ${own} job(s) with DescribeSigningJob instead, within the same call budget.`
    : 'Listing them costs this run ListSigningJobs pages (no order is promised: its own jobs may be on any page).'
  return (
    `ListSigningJobs shows ${others} signing job(s) in progress ${who} besides the ${own} this run started: ` +
    `other runs share this run's AWS identity. ${instead} Give each run its own role session name: in ` +
    'aws-actions/configure-aws-credentials set role-session-name, for example ' +
    '`role-session-name: sign-${{ github.run_id }}-${{ github.run_attempt }}`.'
  )
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
