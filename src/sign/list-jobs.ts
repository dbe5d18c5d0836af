import { SignerClient, paginateListSigningJobs } from '@aws-sdk/client-signer'

/** What the watcher may filter a listing on: who started its jobs, when every job agrees. */
export interface JobListFilter {
  requestedBy?: string
  jobInvoker?: string
}

export interface InProgressListing {
  /** Ids of the jobs Signer lists as InProgress (at least every page up to the last wanted job). */
  inProgress: Set<string>
  /** How many ListSigningJobs calls it took. */
  pages: number
}

/** ListSigningJobs' largest page (the API allows 1-25). */
const PAGE_SIZE = 25

/**
 * The jobs still InProgress, newest first, page by page. It stops as soon as every wanted job has been
 * seen: the run's own jobs are the newest, so one page usually answers for up to 25 of them even when the
 * account has many more jobs in progress. A wanted job missing from the result has left InProgress (or
 * is not listed yet, or is gone): the watcher describes it.
 */
export async function listInProgressJobs(
  signer: SignerClient,
  filter: JobListFilter,
  wanted: ReadonlySet<string>
): Promise<InProgressListing> {
  const inProgress = new Set<string>()
  let pages = 0
  const paginator = paginateListSigningJobs(
    { client: signer, pageSize: PAGE_SIZE },
    { status: 'InProgress', ...filter }
  )
  for await (const page of paginator) {
    pages++
    for (const job of page.jobs ?? []) if (job.jobId) inProgress.add(job.jobId)
    if ([...wanted].every(jobId => inProgress.has(jobId))) break
  }
  return { inProgress, pages }
}
