import { SignerClient, SigningJob, SigningStatus, paginateListSigningJobs } from '@aws-sdk/client-signer'
import { RevokeConfig } from '../config'
import { errorMessage } from '../errors'
import { SearchReport } from './types'

export type JobSearch = NonNullable<RevokeConfig['jobSearch']>

/** The most jobs ListSigningJobs returns in one page (its maxResults is 1-25). */
export const LIST_PAGE_SIZE = 25

/**
 * The statuses listed, each with the API's own status filter, so that Failed jobs (they signed nothing) are
 * never read. InProgress first: a job that finishes between the two listings is then seen in both, never
 * in neither, and its Succeeded entry wins. An InProgress job is listed so that the plan reports it as not
 * yet revocable rather than missing it: it will hold a valid signature once it finishes.
 */
export const LISTED_STATUSES: readonly SigningStatus[] = ['InProgress', 'Succeeded']

/**
 * How far back ListSigningJobs shows jobs: "Signing jobs are viewable by the ListSigningJobs operation for
 * two years after they are performed" (StartSigningJob, AWS Signer API reference). Lambda signatures can be
 * valid for up to 135 months, so a search cannot find every signature that is still trusted.
 */
export const LISTING_YEARS = 2

/** The oldest creation time a search can still find, when the window reaches further back; else undefined. */
export function listingHorizon(search: JobSearch, now: Date): Date | undefined {
  const horizon = new Date(now.getTime())
  horizon.setUTCFullYear(horizon.getUTCFullYear() - LISTING_YEARS)
  const reachesBack = search.signedAfter === undefined || search.signedAfter.getTime() < horizon.getTime()
  return reachesBack ? horizon : undefined
}

/**
 * True when a listed job belongs to the searched profile (and version, when given) and was created in
 * [signedAfter, signedBefore). ListSigningJobs cannot filter on the profile nor the creation time, so
 * this runs on every listed job. A job without a creation time cannot be placed in the window.
 */
export function matchesSearch(job: SigningJob, search: JobSearch): boolean {
  if (job.profileName !== search.profileName) return false
  if (search.profileVersion !== undefined && job.profileVersion !== search.profileVersion) return false
  if (job.createdAt === undefined) return false
  const created = job.createdAt.getTime()
  if (search.signedAfter && created < search.signedAfter.getTime()) return false
  if (search.signedBefore && created >= search.signedBefore.getTime()) return false
  // A job that failed produced no signature: there is nothing to revoke.
  return job.status !== 'Failed'
}

export interface SearchResult {
  jobs: SigningJob[]
  report: SearchReport
}

export interface SearchOptions {
  pageSize?: number
  /** The profile's platform, when already known: its jobs are all on it, so the API may filter on it. */
  platformId?: string
  /** For the two-year horizon of the listing. */
  now?: Date
}

/**
 * Lists the InProgress and the Succeeded signing jobs, all pages, and keeps those of the profile created in
 * the window: Succeeded jobs in listing order, then those still in progress. A failed listing is reported,
 * not thrown: the jobs named in job-id and the profile are still revoked.
 */
export async function searchJobs(
  signer: SignerClient,
  search: JobSearch,
  options: SearchOptions = {}
): Promise<SearchResult> {
  const { pageSize = LIST_PAGE_SIZE, platformId, now = new Date() } = options
  const report: SearchReport = { ...search, pages: 0, listed: 0, matched: 0 }
  if (platformId !== undefined) report.platformId = platformId
  const listedSince = listingHorizon(search, now)
  if (listedSince) report.listedSince = listedSince
  const listed = new Map<SigningStatus, SigningJob[]>()
  try {
    for (const status of LISTED_STATUSES) {
      const matching: SigningJob[] = []
      listed.set(status, matching)
      const input = platformId === undefined ? { status } : { status, platformId }
      for await (const page of paginateListSigningJobs({ client: signer, pageSize }, input)) {
        report.pages++
        for (const job of page.jobs ?? []) {
          report.listed++
          if (job.jobId && matchesSearch(job, search)) matching.push(job)
        }
      }
    }
  } catch (error) {
    report.error = `ListSigningJobs failed after ${report.pages} page(s): ${errorMessage(error)}`
  }
  // A job listed twice (it finished between the listings) keeps its Succeeded entry.
  const jobs: SigningJob[] = []
  const seen = new Set<string>()
  for (const job of [...(listed.get('Succeeded') ?? []), ...(listed.get('InProgress') ?? [])]) {
    const jobId = job.jobId ?? ''
    if (seen.has(jobId)) continue
    seen.add(jobId)
    jobs.push(job)
  }
  report.matched = jobs.length
  return { jobs, report }
}
