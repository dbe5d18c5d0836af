import { RunContext } from '../context'
import { SignConfig } from '../config'
import { namesRun, sessionNameOf } from '../provenance/session'
import { FinishRecord, JobProfile, JobProvenance, RunProvenance, StartRecord } from '../provenance/types'
import { ArtifactResult, JobState, SourceObject } from './types'

type RecordConfig = Pick<SignConfig, 'profileName' | 'profileOwner'>

/** The AWS partition of a region, for ARNs: aws, aws-cn or aws-us-gov. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn'
  if (region.startsWith('us-gov-')) return 'aws-us-gov'
  return 'aws'
}

/**
 * arn:PARTITION:signer:REGION:ACCOUNT:/signing-profiles/NAME/VERSION, the format of a profile version ARN.
 * DescribeSigningJob names the version but not its ARN; the account is the profile's owner, which is the
 * job's own account unless profile-owner names another.
 */
export function profileVersionArn(
  region: string,
  owner: string | undefined,
  profileName: string,
  profileVersion: string | undefined
): string | null {
  if (!owner || !profileVersion) return null
  return `arn:${partitionOf(region)}:signer:${region}:${owner}:/signing-profiles/${profileName}/${profileVersion}`
}

/** The profile asked for, with the version and platform Signer says the job used. */
export function jobProfile(config: RecordConfig, job: JobState, region: string): JobProfile {
  return {
    profileName: config.profileName,
    profileOwner: config.profileOwner ?? null,
    profileVersion: job.profileVersion ?? null,
    profileVersionArn: profileVersionArn(
      region,
      config.profileOwner ?? job.jobOwner,
      config.profileName,
      job.profileVersion
    ),
    platformId: job.platformId ?? null
  }
}

/**
 * One record per job this run started or found, in job id order. Artifacts that share a job (same name
 * and bytes in two folders) share its record, which lists both paths. Artifacts without a job (their
 * upload failed) and Failed jobs (a final state) have no record: nothing was signed. A job still in
 * progress (wait: false, or a timeout) is recorded, since it may yet sign.
 */
export function jobRecords(
  results: readonly ArtifactResult[],
  context: Pick<RunContext, 'repository' | 'commit'>,
  config: RecordConfig,
  region: string
): JobProvenance[] {
  const byJob = new Map<string, JobProvenance>()
  for (const result of results) {
    const { job, source } = result
    if (!job || !source || job.status === 'Failed') continue
    const known = byJob.get(job.jobId)
    if (known) {
      known.artifactPaths = [...known.artifactPaths, result.artifact.relativePath].sort()
      known.signedSha256 ??= result.signedSha256 ?? null
      known.signedVersionId ??= result.signedVersionId ?? null
      continue
    }
    byJob.set(job.jobId, {
      repository: context.repository,
      commit: context.commit,
      artifactPaths: [result.artifact.relativePath],
      sha256: result.artifact.sha256,
      signedSha256: result.signedSha256 ?? null,
      jobId: job.jobId,
      jobOwner: job.jobOwner ?? null,
      status: job.status,
      jobCreatedAt: job.createdAt?.toISOString() ?? null,
      ...jobProfile(config, job, region),
      signatureExpiresAt: job.signatureExpiresAt?.toISOString() ?? null,
      source: { bucket: source.bucket, key: source.key, versionId: source.versionId },
      signed: job.signedObject ? { bucket: job.signedObject.bucket, key: job.signedObject.key } : null,
      signedVersionId: result.signedVersionId ?? null
    })
  }
  return [...byJob.values()].sort((a, b) => compare(a.jobId, b.jobId))
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * manifest.json: the jobs of this commit, sorted, with nothing that depends on the run writing it (no run
 * id, attempt, actor, nor the time of the run), so a re-run of the same commit writes the same bytes. Which
 * runs found each job is in the S3 records (by-run).
 */
export function manifestText(
  records: readonly JobProvenance[],
  context: Pick<RunContext, 'repository' | 'commit'>
): string {
  const manifest = { schemaVersion: 1, repository: context.repository, commit: context.commit, jobs: records }
  return `${JSON.stringify(manifest, null, 2)}\n`
}

export function runProvenance(context: RunContext): RunProvenance {
  return {
    ref: context.ref,
    workflow: context.workflow,
    runId: context.runId,
    runAttempt: context.runAttempt,
    actor: context.actor
  }
}

/** What a start record is built from: the job as Signer gave it back, and what this run asked for. */
export interface StartInput {
  job: JobState
  source: SourceObject
  sha256: string
  artifactPaths: string[]
  /** Jobs created before this instant were started by an earlier run. */
  runStartedAt: Date
}

/**
 * The record written right after StartSigningJob. The source and profile are what this run asked for, not
 * what the job says: a job that signs something else then contradicts its record, and revoke refuses it.
 */
export function startRecord(
  input: StartInput,
  context: RunContext,
  config: RecordConfig,
  region: string
): StartRecord {
  const { job, source } = input
  const startedJob = job.createdAt === undefined ? null : job.createdAt >= input.runStartedAt
  const session = startedJob ? sessionNameOf(job.requestedBy) : undefined
  return {
    schemaVersion: 2,
    kind: 'start',
    repository: context.repository,
    commit: context.commit,
    sha256: input.sha256,
    jobId: job.jobId,
    jobOwner: job.jobOwner ?? null,
    requestedBy: job.requestedBy ?? null,
    jobCreatedAt: job.createdAt?.toISOString() ?? null,
    ...jobProfile(config, job, region),
    source: { bucket: source.bucket, key: source.key, versionId: source.versionId },
    run: {
      ...runProvenance(context),
      artifactPaths: [...input.artifactPaths].sort(),
      startedJob,
      roleSessionName: session && namesRun(session, context.runId) ? session : null
    }
  }
}

/** The finish record of a job that succeeded: its signed object and, when downloaded, the hash of it. */
export function finishRecord(
  record: JobProvenance,
  signedVersionId: string | null,
  run: RunProvenance
): FinishRecord {
  return {
    schemaVersion: 2,
    kind: 'finish',
    jobId: record.jobId,
    status: record.status,
    signatureExpiresAt: record.signatureExpiresAt,
    signed: record.signed ? { ...record.signed, versionId: signedVersionId } : null,
    signedSha256: record.signedSha256,
    run
  }
}
