import { SignerClient, SigningJob, paginateListSigningJobs } from '@aws-sdk/client-signer'
import { RevokeConfig } from '../config'
import { errorMessage } from '../errors'
import { SearchReport } from './types'

export type JobSearch = NonNullable<RevokeConfig['jobSearch']>

/** The most jobs ListSigningJobs returns in one page (its maxResults is 1-25). */
export const LIST_PAGE_SIZE = 25

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

/**
 * Lists every signing job, all pages, and keeps those of the profile created in the window. A failed
 * listing is reported, not thrown: the jobs named in job-id and the profile are still revoked.
 */
export async function searchJobs(
  signer: SignerClient,
  search: JobSearch,
  pageSize: number = LIST_PAGE_SIZE
): Promise<SearchResult> {
  const report: SearchReport = { ...search, pages: 0, listed: 0, matched: 0 }
  const jobs: SigningJob[] = []
  const seen = new Set<string>()
  try {
    for await (const page of paginateListSigningJobs({ client: signer, pageSize }, {})) {
      report.pages++
      for (const job of page.jobs ?? []) {
        report.listed++
        if (!job.jobId || seen.has(job.jobId) || !matchesSearch(job, search)) continue
        seen.add(job.jobId)
        jobs.push(job)
      }
    }
  } catch (error) {
    report.error = `ListSigningJobs failed after ${report.pages} page(s): ${errorMessage(error)}`
  }
  report.matched = jobs.length
  return { jobs, report }
}
