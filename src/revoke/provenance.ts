import {
  GetObjectCommand,
  HeadObjectCommand,
  NotFound,
  NoSuchKey,
  S3Client,
  paginateListObjectsV2
} from '@aws-sdk/client-s3'
import { SigningJob } from '@aws-sdk/client-signer'
import { ProvenanceSearch } from '../config'
import { mapLimit } from '../concurrency'
import { errorMessage } from '../errors'
import { ProvenanceFilters, jobIdOfKey, jobRecordKey, listingPrefix } from '../provenance/layout'
import { StoredRecord } from '../provenance/types'
import { listedState } from './plan'
import { JobTarget, ProvenanceReport } from './types'

/** ListObjectsV2's own maximum page. */
export const RECORDS_PAGE_SIZE = 1000

/** Every filter given holds for the record: its repository, a commit starting with the prefix, its run. */
export function matchesFilters(record: StoredRecord, filters: ProvenanceFilters): boolean {
  if (
    filters.repository !== undefined &&
    record.repository.toLowerCase() !== filters.repository.toLowerCase()
  ) {
    return false
  }
  if (filters.commit !== undefined && !record.commit.toLowerCase().startsWith(filters.commit)) return false
  if (filters.runId !== undefined && record.run?.runId !== filters.runId) return false
  return true
}

/** The record is of the searched profile (and version), and its job made a signature to revoke. */
export function matchesProfile(
  record: StoredRecord,
  search: Pick<ProvenanceSearch, 'profileName' | 'profileVersion'>
): boolean {
  if (record.profileName !== search.profileName) return false
  if (search.profileVersion !== undefined && record.profileVersion !== search.profileVersion) return false
  // Failed is final: the job signed nothing.
  return record.status !== 'Failed'
}

/** A record as S3 holds it, or undefined when the text is not one. */
export function parseRecord(text: string): StoredRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<StoredRecord>
    const valid =
      typeof value === 'object' &&
      value !== null &&
      typeof value.jobId === 'string' &&
      typeof value.repository === 'string' &&
      typeof value.commit === 'string' &&
      typeof value.profileName === 'string'
    return valid ? (value as StoredRecord) : undefined
  } catch {
    return undefined
  }
}

export interface ProvenanceResolution {
  /** The jobs to revoke: records matching every filter (and, with a window, found by the search). */
  targets: JobTarget[]
  report: ProvenanceReport
}

/**
 * Without a time window: the jobs are those whose records match. With one, the search decides which jobs
 * there are and the records which of them are meant: a listed job with a matching record is a target; one
 * with a record that does not match is left out; one with no record at all is unresolved, and reported.
 */
export function resolveTargets(
  matched: readonly StoredRecord[],
  windowJobs: readonly SigningJob[] | undefined,
  hasRecord: ReadonlySet<string>
): { targets: JobTarget[]; unresolved: string[]; excluded: number } {
  if (windowJobs === undefined) {
    const targets = matched.map(record => target(record.jobId, record.jobOwner ?? undefined))
    return { targets, unresolved: [], excluded: 0 }
  }
  const byId = new Map(matched.map(record => [record.jobId, record]))
  const targets: JobTarget[] = []
  const unresolved: string[] = []
  let excluded = 0
  for (const job of windowJobs) {
    if (!job.jobId) continue
    if (byId.has(job.jobId)) {
      targets.push({ ...target(job.jobId, job.jobOwner), listed: listedState(job) })
    } else if (hasRecord.has(job.jobId)) {
      excluded++
    } else {
      unresolved.push(job.jobId)
    }
  }
  return { targets, unresolved, excluded }
}

function target(jobId: string, jobOwner: string | undefined): JobTarget {
  return jobOwner ? { jobId, source: 'provenance', jobOwner } : { jobId, source: 'provenance' }
}

/** job-id input first; a job both named and matched is revoked once, as named. */
export function mergeTargets(named: readonly JobTarget[], found: readonly JobTarget[]): JobTarget[] {
  const seen = new Set(named.map(t => t.jobId))
  return [...named, ...found.filter(t => !seen.has(t.jobId) && seen.add(t.jobId))]
}

/**
 * Lists the records of the narrowest index, reads each (at most `concurrency` at once), keeps those
 * matching every filter and the profile, then places the window's jobs. A failure is reported, not thrown,
 * as the search does: the step then fails, after the rest is revoked.
 */
export async function findByProvenance(
  s3: S3Client,
  search: ProvenanceSearch,
  windowJobs: readonly SigningJob[] | undefined,
  options: { concurrency: number; pageSize?: number }
): Promise<ProvenanceResolution> {
  const prefix = listingPrefix(search.recordsPrefix, search.filters)
  const report: ProvenanceReport = {
    filters: search.filters,
    location: `s3://${search.recordsBucket}/${prefix}`,
    pages: 0,
    records: 0,
    matched: 0,
    excluded: 0,
    unresolved: []
  }
  try {
    const keys = new Map<string, string>()
    const pages = paginateListObjectsV2(
      { client: s3, pageSize: options.pageSize ?? RECORDS_PAGE_SIZE },
      { Bucket: search.recordsBucket, Prefix: prefix }
    )
    for await (const page of pages) {
      report.pages++
      for (const object of page.Contents ?? []) {
        const jobId = object.Key && jobIdOfKey(object.Key)
        // by-run holds one key per attempt: the same job is read once.
        if (jobId && !keys.has(jobId) && object.Key) keys.set(jobId, object.Key)
      }
    }
    report.records = keys.size
    const records = await mapLimit([...keys.values()], options.concurrency, key =>
      readRecord(s3, search.recordsBucket, key)
    )
    const matched = records.filter(
      record => matchesFilters(record, search.filters) && matchesProfile(record, search)
    )
    const hasRecord = new Set(records.map(record => record.jobId))
    if (windowJobs) {
      const unknown = windowJobs.flatMap(job => (job.jobId && !hasRecord.has(job.jobId) ? [job.jobId] : []))
      const found = await mapLimit(unknown, options.concurrency, async jobId =>
        (await recordExists(s3, search.recordsBucket, jobRecordKey(search.recordsPrefix, jobId)))
          ? jobId
          : undefined
      )
      for (const jobId of found) if (jobId) hasRecord.add(jobId)
    }
    const resolved = resolveTargets(matched, windowJobs, hasRecord)
    report.matched = resolved.targets.length
    report.excluded = resolved.excluded
    report.unresolved = resolved.unresolved
    return { targets: resolved.targets, report }
  } catch (error) {
    report.error = `reading the provenance records at ${report.location} failed: ${errorMessage(error)}`
    if (error instanceof Error && error.name === 'NoSuchBucket') {
      report.error +=
        ": set records-bucket to the signing stack's ArtifactBucketName output (the destination-bucket sign mode wrote the records to)"
    }
    return { targets: [], report }
  }
}

async function readRecord(s3: S3Client, bucket: string, key: string): Promise<StoredRecord> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
  const record = parseRecord((await response.Body?.transformToString()) ?? '')
  if (!record) throw new Error(`s3://${bucket}/${key} is not a provenance record`)
  return record
}

async function recordExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
    return true
  } catch (error) {
    if (error instanceof NotFound || error instanceof NoSuchKey) return false
    throw error
  }
}

/** The filters as a user typed them: "commit abc1234, run-id 42". */
export function filtersText(filters: ProvenanceFilters): string {
  const parts: string[] = []
  if (filters.repository !== undefined) parts.push(`repository ${filters.repository}`)
  if (filters.commit !== undefined) parts.push(`commit ${filters.commit}`)
  if (filters.runId !== undefined) parts.push(`run-id ${filters.runId}`)
  return parts.join(', ')
}

export function provenanceLine(report: ProvenanceReport): string {
  if (report.error !== undefined) return `jobs with ${filtersText(report.filters)}: ${report.error}`
  const parts = [
    `${report.matched} job(s) matched among ${report.records} record(s) at ${report.location} (${report.pages} page(s))`
  ]
  if (report.excluded > 0)
    parts.push(`${report.excluded} job(s) of the window left out: their records do not match`)
  if (report.unresolved.length > 0) {
    parts.push(
      `${report.unresolved.length} job(s) of the window have no record (unresolved, not revoked): ${report.unresolved.join(', ')}`
    )
  }
  return `jobs with ${filtersText(report.filters)}: ${parts.join('; ')}`
}

/** What the responder must look at: jobs of the window without a record, and a search that found no record. */
export function provenanceWarnings(report: ProvenanceReport): string[] {
  const warnings = report.unresolved.map(
    jobId =>
      `Signing job ${jobId} was found by the time-window search but has no provenance record: not revoked`
  )
  if (report.error === undefined && report.records === 0) {
    warnings.push(
      `No provenance record under ${report.location}: check records-bucket and records-prefix (the ` +
        "signing workflow's destination-bucket, and its destination-prefix followed by provenance/)"
    )
  }
  return warnings
}
