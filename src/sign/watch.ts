import { SignerClient } from '@aws-sdk/client-signer'
import { mapLimit } from '../concurrency'
import { JobStatusError, WaitTimeoutError, errorMessage } from '../errors'
import { describeSigningJob } from './job'
import { listInProgressJobs } from './list-jobs'
import { JobState } from './types'
import {
  DESCRIBES_AT_ONCE,
  DESCRIBE_BUDGET,
  PASS_INTERVAL_MS,
  crowdWarning,
  isCrowded,
  isRetriedBySdk,
  leastRecentlyPolled,
  listFilter,
  listingPays,
  maxListingPages,
  nextBackoffFactor,
  nextIntervalMs,
  shouldList,
  waitingCredit
} from './watch-plan'

/** Time as the watcher sees it: injected, so tests drive it with fake timers. */
export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: ms => new Promise(resolve => setTimeout(resolve, ms))
}

/**
 * auto: describe one or two jobs directly, list for more (the default). list / describe: one way only, for
 * the benchmark that compares them.
 */
export type WatchStrategy = 'auto' | 'list' | 'describe'

export interface WatcherOptions {
  clock?: Clock
  strategy?: WatchStrategy
  /** Run-level news: backing off, or falling back from ListSigningJobs. */
  info?: (line: string) => void
  warning?: (line: string) => void
}

interface Watched {
  job: JobState
  timeoutSeconds: number
  deadline: number
  polledAt: number
  /** Seen in progress by a listing. */
  listed?: boolean
  /** Missing from the last listing, and described since (in progress then, or the describe failed). */
  unlisted?: boolean
  resolve(state: JobState): void
  reject(error: Error): void
}

/**
 * One watcher for every started job of a run. Every pass (about once a second) learns about all the jobs
 * with as few calls as it can: one ListSigningJobs pass for the jobs still InProgress, then one
 * DescribeSigningJob for each job that left that list (for its final state: signed object, expiry, reason);
 * or, for one or two jobs, a DescribeSigningJob each. The waiting costs at most 2 calls a second (pages,
 * and describes of jobs still in progress), so a run stays within 2 status calls per artifact plus 2 per
 * second of waiting, whatever ListSigningJobs lists: when other runs' jobs crowd the listing so that it
 * costs as many pages as there are jobs, the watcher describes its own jobs instead, and says once how to
 * give each run its own identity. Throttling and 5xx (after the SDK's own retries) slow the passes down,
 * never fail a job; any other error fails that job at once, naming the call. Each job keeps its own timeout.
 */
export class JobWatcher {
  private readonly watched = new Map<string, Watched>()
  private readonly promises = new Map<string, Promise<JobState>>()
  private readonly clock: Clock
  private running?: Promise<void>
  private backoffFactor = 1
  private listAvailable: boolean
  private warnedOfCrowd = false
  /** The calls spent on waiting since the watching began: pages are paid for before they are read. */
  private budget = { since: 0, spent: 0 }

  constructor(
    private readonly signer: SignerClient,
    private readonly options: WatcherOptions = {}
  ) {
    this.clock = options.clock ?? systemClock
    this.listAvailable = options.strategy !== 'describe'
  }

  /**
   * Resolves with the job's final state (Succeeded or Failed), once Signer says it finished. Rejects with a
   * WaitTimeoutError after timeoutSeconds, or a JobStatusError when the job cannot be read. Two artifacts
   * with the same job share one watch.
   */
  watch(job: JobState, timeoutSeconds: number): Promise<JobState> {
    const known = this.promises.get(job.jobId)
    if (known) return known
    const now = this.clock.now()
    const promise = new Promise<JobState>((resolve, reject) => {
      this.watched.set(job.jobId, {
        job,
        timeoutSeconds,
        deadline: now + timeoutSeconds * 1000,
        polledAt: now,
        resolve,
        reject
      })
    })
    this.promises.set(job.jobId, promise)
    this.ensureRunning()
    return promise
  }

  private ensureRunning(): void {
    if (this.running || this.watched.size === 0) return
    this.running = this.loop().finally(() => {
      this.running = undefined
      // A job added while the loop was ending.
      this.ensureRunning()
    })
  }

  private async loop(): Promise<void> {
    // The job was just described when it was started: the first pass can wait one interval.
    let nextPassAt = this.clock.now() + nextIntervalMs(this.backoffFactor, 0)
    // The budget counts from one second before the first pass: a first listing may read two pages.
    this.budget = { since: this.clock.now() - PASS_INTERVAL_MS, spent: 0 }
    while (this.watched.size > 0) {
      const deadlines = [...this.watched.values()].map(watched => watched.deadline)
      const wakeAt = Math.min(nextPassAt, ...deadlines)
      await this.clock.sleep(Math.max(0, wakeAt - this.clock.now()))
      // A timer may fire a millisecond early: a pass woken for a deadline must see it reached.
      const passStartedAt = Math.max(this.clock.now(), wakeAt)
      const { retry, waitingCalls } = await this.pass(passStartedAt)
      const factor = nextBackoffFactor(this.backoffFactor, retry)
      if (factor !== this.backoffFactor && factor > 1) {
        this.options.info?.(`Signer is throttling or failing status calls: next check in ${factor} s`)
      }
      this.backoffFactor = factor
      nextPassAt = passStartedAt + nextIntervalMs(factor, waitingCalls)
    }
  }

  /** One look at every job. Settles each job that finished, failed to be read, or ran out of time. */
  private async pass(now: number): Promise<{ retry: boolean; waitingCalls: number }> {
    const jobs = [...this.watched.values()]
    const expired = jobs.filter(watched => watched.deadline <= now)
    let toDescribe: Watched[]
    let retry = false
    let pages = 0
    // Describes of jobs still in progress, charged to the waiting (a job's final read is its artifact's).
    let budgeted: Watched[] = []
    if (shouldList(jobs.length, this.listAvailable)) {
      try {
        const wanted = new Set(jobs.map(watched => watched.job.jobId))
        const filter = listFilter(jobs.map(w => w.job))
        const listing = await listInProgressJobs(
          this.signer,
          filter,
          wanted,
          Math.min(maxListingPages(jobs.length), waitingCredit(this.budget, now))
        )
        pages = listing.pages
        for (const w of jobs) {
          if (listing.inProgress.has(w.job.jobId)) Object.assign(w, { listed: true, unlisted: false })
        }
        // A job not listed now that a listing showed before (or that a complete listing leaves out) has
        // most likely left InProgress: it is described once. Missing again while in progress (not listed
        // yet, or on a page not read: neither order nor read-after-write is promised), it takes turns
        // within the budget.
        const missing = jobs.filter(w => !listing.inProgress.has(w.job.jobId))
        const left = missing.filter(w => !w.unlisted && (listing.complete || w.listed))
        // Others' jobs crowding a listing that could not be read to its end: the run's own jobs are
        // cheaper to describe from now on.
        const crowded = isCrowded(listing.others, jobs.length)
        const pays =
          listingPays({ ...listing, seen: listing.seen + left.length }, jobs.length) &&
          !(crowded && !listing.complete)
        if (!pays) this.listAvailable = false
        if (crowded && !this.warnedOfCrowd) {
          this.warnedOfCrowd = true
          this.options.warning?.(crowdWarning(filter, listing, jobs.length, !pays))
        }
        const turns = pays ? Math.max(1, DESCRIBE_BUDGET - pages) : 0
        budgeted = leastRecentlyPolled(
          missing.filter(w => !left.includes(w)),
          turns
        )
        toDescribe = union(union(left, budgeted), expired)
        for (const w of missing) w.unlisted = true
      } catch (error) {
        if (isRetriedBySdk(error)) {
          retry = true
          toDescribe = expired
        } else {
          this.stopListing(error)
          budgeted = leastRecentlyPolled(jobs, DESCRIBE_BUDGET)
          toDescribe = union(budgeted, expired)
        }
      }
    } else {
      budgeted = leastRecentlyPolled(jobs, DESCRIBE_BUDGET)
      toDescribe = union(budgeted, expired)
    }
    const outcomes = await mapLimit(toDescribe, DESCRIBES_AT_ONCE, watched => this.describe(watched, now))
    this.budget.spent += pages + budgeted.length
    return { retry: retry || outcomes.includes('retry'), waitingCalls: pages + budgeted.length }
  }

  /**
   * ListSigningJobs is how the watcher saves calls, not something signing needs: without it (no
   * signer:ListSigningJobs, say), jobs are described one by one within the same call budget.
   */
  private stopListing(error: unknown): void {
    this.listAvailable = false
    this.options.warning?.(
      `ListSigningJobs failed with ${errorMessage(error)} (it needs signer:ListSigningJobs): watching the ` +
        `jobs with DescribeSigningJob instead, ${DESCRIBE_BUDGET} calls a second, so finished jobs may be ` +
        'noticed later. Grant signer:ListSigningJobs to watch many jobs with one call a second.'
    )
  }

  private async describe(watched: Watched, passStartedAt: number): Promise<'done' | 'pending' | 'retry'> {
    const { jobId } = watched.job
    const expired = watched.deadline <= passStartedAt
    try {
      const state = await describeSigningJob(this.signer, jobId)
      watched.polledAt = this.clock.now()
      if (state.status === 'Succeeded' || state.status === 'Failed') {
        this.settle(watched, () => watched.resolve(state))
        return 'done'
      }
    } catch (error) {
      watched.polledAt = this.clock.now()
      if (!isRetriedBySdk(error)) {
        this.settle(watched, () => watched.reject(new JobStatusError(jobId, 'DescribeSigningJob', error)))
        return 'done'
      }
      if (!expired) return 'retry'
    }
    if (!expired) return 'pending'
    this.settle(watched, () => watched.reject(new WaitTimeoutError(jobId, watched.timeoutSeconds)))
    return 'done'
  }

  private settle(watched: Watched, outcome: () => void): void {
    this.watched.delete(watched.job.jobId)
    outcome()
  }
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  return [...new Set([...a, ...b])]
}
