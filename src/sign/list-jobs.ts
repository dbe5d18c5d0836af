import { SignerClient, paginateListSigningJobs } from '@aws-sdk/client-signer'

/** What the watcher may filter a listing on: who started its jobs, when every job agrees. */
export interface JobListFilter {
  requestedBy?: string
  jobInvoker?: string
}

export interface InProgressListing {
  /** Ids of the jobs Signer listed as InProgress, on the pages read. */
  inProgress: Set<string>
  /** How many ListSigningJobs calls it took. */
  pages: number
  /**
   * Whether the listing answers for every wanted job: each was seen, or the last page was read. When not
   * (it stopped at maxPages), a wanted job not seen may be on a page not read: nothing can be said of it.
   */
  complete: boolean
  /** Wanted jobs seen in progress. */
  seen: number
  /** Jobs listed in progress that are not wanted: another run's, under the same filter. */
  others: number
}

/** ListSigningJobs' largest page (the API allows 1-25). */
export const PAGE_SIZE = 25

/**
 * The jobs still InProgress, page by page, until every wanted job has been seen, the last page has been
 * read, or `maxPages` pages have been. ListSigningJobs promises no order, so the wanted jobs may be on any
 * page; nor that a job just started is listed yet: a wanted job missing from a complete listing has left
 * InProgress, is not listed yet, or is gone, and the watcher describes it.
 */
export async function listInProgressJobs(
  signer: SignerClient,
  filter: JobListFilter,
  wanted: ReadonlySet<string>,
  maxPages = Number.POSITIVE_INFINITY
): Promise<InProgressListing> {
  const inProgress = new Set<string>()
  let pages = 0
  let seen = 0
  let lastPage = false
  const paginator = paginateListSigningJobs(
    { client: signer, pageSize: PAGE_SIZE },
    { status: 'InProgress', ...filter }
  )
  for await (const page of paginator) {
    pages++
    for (const job of page.jobs ?? []) {
      if (!job.jobId || inProgress.has(job.jobId)) continue
      inProgress.add(job.jobId)
      if (wanted.has(job.jobId)) seen++
    }
    lastPage = !page.nextToken
    if (seen === wanted.size || lastPage || pages >= maxPages) break
  }
  return {
    inProgress,
    pages,
    complete: seen === wanted.size || lastPage || pages === 0,
    seen,
    others: inProgress.size - seen
  }
}
