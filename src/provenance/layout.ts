/**
 * Where provenance records live in S3, shared by sign (which writes them) and revoke (which lists them).
 * Every record is written under four keys, one per incident question, so that each question is one prefix
 * listing rather than a scan of every record:
 *
 *   <prefix>jobs/<jobId>.json                                            does this job have a record at all?
 *   <prefix>by-repository/<owner>/<repo>/commit/<sha>/<jobId>.json       what did this repository (commit) sign?
 *   <prefix>by-commit/<sha>/<owner>/<repo>/<jobId>.json                  what did this commit sign, in any repository?
 *   <prefix>by-run/<runId>/<owner>/<repo>/attempt/<n>/<jobId>.json        what did this run sign?
 *
 *   <prefix>finish/<jobId>.json                                          what did the finish add (signed object, hash)?
 *
 * Every key is written once, with S3's conditional write (If-None-Match: *): a run that finds a key taken
 * compares what is there with what it would write, and never replaces it. The jobs/ key is written first,
 * right after StartSigningJob: it is the job's own record, which index records must agree with.
 *
 * The commit leads its key in by-commit, so a commit prefix (7+ hex) is an S3 prefix as well. by-run keeps
 * one key per attempt: a job found again by a later run or attempt is added to that run's index, and
 * the index of the run that first started it stays.
 */

/** The records of a sign run: under the destination prefix, next to the signed objects. */
export const PROVENANCE_FOLDER = 'provenance/'

export function recordsPrefix(destinationPrefix: string): string {
  return `${destinationPrefix}${PROVENANCE_FOLDER}`
}

export interface RecordLocation {
  repository: string
  commit: string
  runId: string
  runAttempt: string
  jobId: string
}

/** owner/name as GitHub spells a repository. */
export const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/

/** A record is indexed by repository and commit: without them (outside GitHub's runner) it has no key. */
export function canIndex(repository: string, commit: string): boolean {
  return REPOSITORY.test(repository) && /^[0-9a-f]{7,64}$/i.test(commit)
}

export function jobRecordKey(prefix: string, jobId: string): string {
  return `${prefix}jobs/${jobId}.json`
}

/** The finish record of a job: a key apart from the start record, so neither is ever rewritten. */
export function finishRecordKey(prefix: string, jobId: string): string {
  return `${prefix}finish/${jobId}.json`
}

/**
 * Every key the record of one job goes under. A run without a run id (outside GitHub's runner) has no
 * by-run key; without a repository and commit there is nothing to index, and no key at all.
 */
export function recordKeys(prefix: string, location: RecordLocation): string[] {
  const { repository, commit, runId, runAttempt, jobId } = location
  if (!canIndex(repository, commit)) return []
  const sha = commit.toLowerCase()
  // GitHub spells a repository in any case; the keys use one, so a listing finds it however it is typed.
  const repo = repository.toLowerCase()
  const keys = [
    jobRecordKey(prefix, jobId),
    `${prefix}by-repository/${repo}/commit/${sha}/${jobId}.json`,
    `${prefix}by-commit/${sha}/${repo}/${jobId}.json`
  ]
  if (/^\d+$/.test(runId)) {
    const attempt = /^\d+$/.test(runAttempt) ? runAttempt : '1'
    keys.push(`${prefix}by-run/${runId}/${repo}/attempt/${attempt}/${jobId}.json`)
  }
  return keys
}

/** The provenance filters of revoke mode. */
export interface ProvenanceFilters {
  repository?: string
  /** Lowercase hex, 7 to 40 characters: a full sha or a prefix of one. */
  commit?: string
  runId?: string
}

/**
 * The one prefix to list for a set of filters: the narrowest index the filters allow. The records listed
 * still go through matchesFilters, which checks every filter on the record's own fields.
 */
export function listingPrefix(prefix: string, filters: ProvenanceFilters): string {
  const { commit, runId } = filters
  const repository = filters.repository?.toLowerCase()
  if (runId !== undefined) return `${prefix}by-run/${runId}/${repository ? `${repository}/` : ''}`
  if (repository !== undefined) {
    return `${prefix}by-repository/${repository}/${commit ? `commit/${commit}` : ''}`
  }
  if (commit !== undefined) return `${prefix}by-commit/${commit}`
  throw new Error('listingPrefix needs at least one filter')
}

/** The job id a listed record key names (its file name), or undefined for a key that is not a record. */
export function jobIdOfKey(key: string): string | undefined {
  const match = /\/([A-Za-z0-9-]{1,64})\.json$/.exec(key)
  return match?.[1]
}
