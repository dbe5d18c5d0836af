import { DescribeSigningJobCommand, SignerClient, SigningJob } from '@aws-sdk/client-signer'
import { mapLimit } from '../concurrency'
import { errorMessage } from '../errors'
import { namesRun, sessionNameOf } from '../provenance/session'
import { IndexRecord } from '../provenance/types'
import { listedState } from './plan'
import { describedState } from './state'
import { JobState } from './types'

/**
 * A record is what someone with the sign role wrote; Signer is what happened. Before a record's job is
 * planned, Signer must agree with it on the job, its profile and owner, and the object it signed, so a
 * planted record cannot aim RevokeSignature at another profile's job or at the job of another source.
 */

/** What ListSigningJobs and DescribeSigningJob both say about a job (requestedBy: DescribeSigningJob only). */
export interface SignerJob {
  jobId?: string
  jobOwner?: string
  profileName?: string
  profileVersion?: string
  status?: string
  requestedBy?: string
  source?: { s3?: { bucketName?: string; key?: string; version?: string } }
}

/**
 * The fields on which the record and Signer disagree. A value the record does not hold (null: unknown when it
 * was written) is not checked; one it holds must be Signer's. Where the record's run names its role session
 * (sign-<run id>-<attempt>), the job must have been requested by that session, and the session must name
 * the record's run.
 */
export function contradictions(record: IndexRecord, job: SignerJob): string[] {
  const s3 = job.source?.s3
  const checks: [string, string | null | undefined, string | undefined][] = [
    ['jobId', record.jobId, job.jobId],
    ['jobOwner', record.jobOwner, job.jobOwner],
    ['profileName', record.profileName, job.profileName],
    ['profileVersion', record.profileVersion, job.profileVersion],
    ['source bucket', record.source.bucket, s3?.bucketName],
    ['source key', record.source.key, s3?.key],
    ['source version', record.source.versionId, s3?.version]
  ]
  if (isStartRecord(record)) checks.push(['requestedBy', record.requestedBy, job.requestedBy])
  const fields = checks.filter(([, mine, signer]) => mine != null && mine !== signer).map(([name]) => name)
  const session = isStartRecord(record) ? record.run.roleSessionName : null
  if (session) {
    if (sessionNameOf(job.requestedBy) !== session) fields.push('role session (requestedBy)')
    if (!namesRun(session, record.run.runId)) fields.push('role session (does not name the run)')
  }
  return [...new Set(fields)]
}

function isStartRecord(record: IndexRecord): record is Extract<IndexRecord, { kind: 'start' }> {
  return record.schemaVersion === 2
}

/** requestedBy is checked only on DescribeSigningJob's answer: ListSigningJobs does not carry it. */
export function needsDescribe(record: IndexRecord): boolean {
  return isStartRecord(record) && (record.requestedBy !== null || record.run.roleSessionName !== null)
}

export interface Candidate {
  record: IndexRecord
  /** The job as the window search listed it, when it did. */
  listed?: SigningJob
}

export type Proof =
  | { kind: 'proven'; state: JobState }
  | { kind: 'contradicted'; fields: string[] }
  | { kind: 'failed' }
  | { kind: 'unknown'; error: string }

/** The proof of one record: against the listing when it says enough, else against DescribeSigningJob. */
export async function prove(signer: SignerClient, candidate: Candidate): Promise<Proof> {
  const { record, listed } = candidate
  let job: SignerJob
  let state: JobState | undefined
  if (listed && !needsDescribe(record)) {
    job = listed
  } else {
    try {
      const described = await signer.send(new DescribeSigningJobCommand({ jobId: record.jobId }))
      job = described
      state = describedState(described)
    } catch (error) {
      return { kind: 'unknown', error: errorMessage(error) }
    }
  }
  const fields = contradictions(record, job)
  if (fields.length > 0) return { kind: 'contradicted', fields }
  // A Failed job signed nothing: there is nothing to revoke, and nothing to report as a failure.
  if (job.status === 'Failed') return { kind: 'failed' }
  return { kind: 'proven', state: state ?? listedState(listed as SigningJob) }
}

export function proveAll(
  signer: SignerClient,
  candidates: readonly Candidate[],
  concurrency: number
): Promise<Proof[]> {
  return mapLimit(candidates, concurrency, candidate => prove(signer, candidate))
}
