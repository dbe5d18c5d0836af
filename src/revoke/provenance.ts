import { S3Client } from '@aws-sdk/client-s3'
import { SignerClient, SigningJob } from '@aws-sdk/client-signer'
import { ProvenanceSearch } from '../config'
import { mapLimit } from '../concurrency'
import { errorMessage } from '../errors'
import { FACT_FIELDS, disagreements } from '../provenance/compare'
import { ProvenanceFilters, jobRecordKey, listingPrefix } from '../provenance/layout'
import { IndexRecord } from '../provenance/types'
import { Candidate, proveAll } from './proof'
import { listRecordKeys, readRecordAt, recordAt } from './records'
import { Contradiction, JobTarget, ProvenanceReport } from './types'

export { parseRecord, RECORDS_PAGE_SIZE } from './records'
export { contradictionLines, filtersText, provenanceLine, provenanceWarnings } from './provenance-report'

/** Every filter given holds for the record: its repository, a commit starting with the prefix, its run. */
export function matchesFilters(record: IndexRecord, filters: ProvenanceFilters): boolean {
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

/** The record is of the searched profile (and version), and its job may have made a signature to revoke. */
export function matchesProfile(
  record: IndexRecord,
  search: Pick<ProvenanceSearch, 'profileName' | 'profileVersion'>
): boolean {
  if (record.profileName !== search.profileName) return false
  if (search.profileVersion !== undefined && record.profileVersion !== search.profileVersion) return false
  // Failed is final: the job signed nothing. (A start record has no status: Signer says.)
  return !('status' in record) || record.status !== 'Failed'
}

export interface ProvenanceResolution {
  /** The jobs to revoke: records matching every filter, agreeing with Signer (and found by the window). */
  targets: JobTarget[]
  report: ProvenanceReport
}

/**
 * Without a time window: the candidates are the jobs whose records match. With one, the search decides which
 * jobs there are and the records which of them are meant: a listed job with a matching record is a
 * candidate; one with a record that does not match is left out (listed by id); one with no record that
 * could be read is unresolved.
 */
export function placeWindow(
  matched: readonly IndexRecord[],
  windowJobs: readonly SigningJob[] | undefined,
  hasRecord: ReadonlySet<string>
): { candidates: Candidate[]; unresolved: string[]; excluded: string[] } {
  if (windowJobs === undefined) {
    return { candidates: matched.map(record => ({ record })), unresolved: [], excluded: [] }
  }
  const byId = new Map(matched.map(record => [record.jobId, record]))
  const candidates: Candidate[] = []
  const unresolved: string[] = []
  const excluded: string[] = []
  for (const job of windowJobs) {
    if (!job.jobId) continue
    const record = byId.get(job.jobId)
    if (record) candidates.push({ record, listed: job })
    else if (hasRecord.has(job.jobId)) excluded.push(job.jobId)
    else unresolved.push(job.jobId)
  }
  return { candidates, unresolved, excluded }
}

/** job-id input first; a job both named and matched is revoked once, as named. */
export function mergeTargets(named: readonly JobTarget[], found: readonly JobTarget[]): JobTarget[] {
  const seen = new Set(named.map(t => t.jobId))
  return [...named, ...found.filter(t => !seen.has(t.jobId) && seen.add(t.jobId))]
}

export function emptyReport(filters: ProvenanceFilters, location: string): ProvenanceReport {
  return {
    filters,
    location,
    pages: 0,
    records: 0,
    matched: 0,
    excluded: [],
    unresolved: [],
    contradicted: [],
    signedNothing: [],
    unreadable: []
  }
}

/**
 * Lists the records of the narrowest index and reads each (at most `concurrency` at once); keeps those
 * matching every filter and the profile that agree with the job's own record (jobs/<id>.json, written
 * first and never overwritten); places the window's jobs; then proves each against Signer. A record that
 * cannot be read leaves its job unresolved; a failed listing is reported, not thrown: the step then fails,
 * after the rest is revoked.
 */
export async function findByProvenance(
  s3: S3Client,
  signer: SignerClient,
  search: ProvenanceSearch,
  windowJobs: readonly SigningJob[] | undefined,
  options: { concurrency: number; pageSize?: number }
): Promise<ProvenanceResolution> {
  const bucket = search.recordsBucket
  const prefix = listingPrefix(search.recordsPrefix, search.filters)
  const report = emptyReport(search.filters, `s3://${bucket}/${prefix}`)
  const contradict = (jobId: string, against: Contradiction['against'], fields: string[]): void => {
    report.contradicted.push({ jobId, against, fields })
  }
  let keys: Map<string, string>
  try {
    const listed = await listRecordKeys(s3, bucket, prefix, options.pageSize)
    keys = listed.keys
    report.pages = listed.pages
  } catch (error) {
    report.error = `listing the provenance records at ${report.location} failed: ${errorMessage(error)}`
    if (error instanceof Error && error.name === 'NoSuchBucket') {
      report.error +=
        ": set records-bucket to the signing stack's ArtifactBucketName output (the destination-bucket sign mode wrote the records to)"
    }
    return { targets: [], report }
  }
  report.records = keys.size

  const reads = await mapLimit([...keys], options.concurrency, async ([jobId, key]) => ({
    jobId,
    read: await readRecordAt(s3, bucket, key)
  }))
  const records: IndexRecord[] = []
  for (const { jobId, read } of reads) {
    if (read.kind === 'unreadable') report.unreadable.push({ jobId, reason: read.reason })
    else if (read.kind === 'record' && read.record.jobId !== jobId) contradict(jobId, 'its key', ['jobId'])
    else if (read.kind === 'record') records.push(read.record)
  }
  const matching = records.filter(
    record => matchesFilters(record, search.filters) && matchesProfile(record, search)
  )
  const agreeing = await mapLimit(matching, options.concurrency, async record => {
    const own = await readRecordAt(s3, bucket, jobRecordKey(search.recordsPrefix, record.jobId))
    if (own.kind === 'unreadable') report.unreadable.push({ jobId: record.jobId, reason: own.reason })
    else if (own.kind === 'missing') contradict(record.jobId, 'its own record', ['(it has none)'])
    else {
      const fields = disagreements(own.record, record, FACT_FIELDS)
      if (fields.length === 0) return record
      contradict(record.jobId, 'its own record', fields)
    }
    return undefined
  })
  const matched = agreeing.filter((record): record is IndexRecord => record !== undefined)

  const hasRecord = new Set(records.map(record => record.jobId))
  const unreadable = new Set(report.unreadable.map(entry => entry.jobId))
  if (windowJobs) {
    const unknown = windowJobs.flatMap(job =>
      job.jobId && !hasRecord.has(job.jobId) && !unreadable.has(job.jobId) ? [job.jobId] : []
    )
    await mapLimit(unknown, options.concurrency, async jobId => {
      const found = await recordAt(s3, bucket, jobRecordKey(search.recordsPrefix, jobId))
      if (found === 'yes') hasRecord.add(jobId)
      else if (found !== 'no' && found.kind === 'unreadable')
        report.unreadable.push({ jobId, reason: found.reason })
    })
  }
  const placed = placeWindow(matched, windowJobs, hasRecord)
  report.excluded = placed.excluded

  const proofs = await proveAll(signer, placed.candidates, options.concurrency)
  const targets: JobTarget[] = []
  placed.candidates.forEach(({ record }, i) => {
    const proof = proofs[i]
    const { jobId } = record
    if (proof.kind === 'contradicted') contradict(jobId, 'AWS Signer', proof.fields)
    else if (proof.kind === 'failed') report.signedNothing.push(jobId)
    else if (proof.kind === 'unknown') {
      targets.push({ jobId, source: 'provenance', listed: { kind: 'error', error: proof.error } })
    } else {
      const owner = proof.state.kind === 'found' ? proof.state.jobOwner : undefined
      targets.push({
        jobId,
        source: 'provenance',
        listed: proof.state,
        ...(owner ? { jobOwner: owner } : {})
      })
    }
  })
  report.matched = targets.length
  report.unresolved = [...new Set([...placed.unresolved, ...report.unreadable.map(entry => entry.jobId)])]
  return { targets, report }
}
