import { SignerClient } from '@aws-sdk/client-signer'
import { AwsClients } from '../aws'
import { SignConfig } from '../config'
import { RunContext } from '../context'
import { JobStatusError, errorMessage } from '../errors'
import { describeSigningJob, startSigningJob } from './job'
import { OnceMap } from './once'
import { ensureSourceObject, sourceKey } from './source'
import { TokenInput, clientRequestToken } from './token'
import { ArtifactResult, JobState, Log, SourceObject } from './types'
import { isRetriedBySdk } from './watch-plan'

/** Fields of `update` that are set win; unset ones keep what was known (jobOwner from StartSigningJob...). */
export function mergeJob(known: JobState, update: Partial<JobState>): JobState {
  const merged: JobState = { ...known }
  for (const [name, value] of Object.entries(update)) {
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[name] = value
  }
  return merged
}

/**
 * The version the job actually signs. They differ only when another run uploaded the same bytes to the same
 * key at the same moment and its StartSigningJob, with the same token, came first: the outputs then name the
 * version Signer used, which holds the same bytes.
 */
export function sourceSigned(source: SourceObject, job: JobState, log: Log): SourceObject {
  if (!job.sourceVersion || job.sourceVersion === source.versionId) return source
  log(
    `Job ${job.jobId} signs version ${job.sourceVersion} of the same key (same bytes), not ${source.versionId}`
  )
  return { ...source, versionId: job.sourceVersion, reused: true }
}

/** How many times re-runs may retry a request whose earlier jobs Failed, before they stop trying. */
export const MAX_FAILED_JOB_RETRIES = 3

export interface StartedJob {
  token: string
  job: JobState
  /** DescribeSigningJob right after the start failed with this: the job's status is not known. */
  describeError?: unknown
}

/**
 * Starts the job, or finds the one an earlier run started with the same token. A job found already Failed,
 * and created before this run began, failed in an earlier run: the next retry token starts a new one, so
 * re-running a workflow after a transient failure signs again, while every later re-run finds that same
 * retry's job. A job that fails during this run is this run's failure and is not retried.
 */
async function startOrFindJob(
  signer: SignerClient,
  tokenInput: TokenInput,
  source: SourceObject,
  config: SignConfig,
  runStartedAt: Date,
  log: Log
): Promise<StartedJob> {
  for (let retry = 0; ; retry++) {
    const token = clientRequestToken(tokenInput, retry)
    const started = await startSigningJob(signer, {
      source,
      destinationBucket: config.destinationBucket,
      destinationPrefix: config.destinationPrefix,
      profileName: config.profileName,
      profileOwner: config.profileOwner,
      clientRequestToken: token
    })
    let job = started
    try {
      job = mergeJob(started, await describeSigningJob(signer, started.jobId))
    } catch (error) {
      log(`Could not read the status of job ${started.jobId} (${errorMessage(error)}); it was started`)
      return { token, job, describeError: error }
    }
    const failedEarlier =
      job.status === 'Failed' && job.createdAt !== undefined && job.createdAt < runStartedAt
    if (!failedEarlier || retry >= MAX_FAILED_JOB_RETRIES) return { token, job }
    log(
      `Job ${job.jobId} for these bytes failed in an earlier run (${job.statusReason ?? 'no reason given'}); ` +
        `retrying with a new token (retry ${retry + 1} of ${MAX_FAILED_JOB_RETRIES})`
    )
  }
}

/** What the artifacts of one run share while they are prepared. */
export interface PrepareShared {
  /** Jobs created before this moment were started by an earlier run. */
  startedAt: Date
  sources: OnceMap<string, SourceObject>
  jobs: OnceMap<string, StartedJob>
}

export function prepareShared(): PrepareShared {
  return { startedAt: new Date(), sources: new OnceMap(), jobs: new OnceMap() }
}

/**
 * The prepare stage, with the artifact's bytes in flight: source object (reused or uploaded), token, job
 * started (or found) and described once. Fills in `result` step by step, so that a cancelled run can report
 * how far each artifact got.
 */
export async function prepareArtifact(
  result: ArtifactResult,
  config: SignConfig,
  clients: AwsClients,
  context: RunContext,
  shared: PrepareShared,
  log: Log
): Promise<void> {
  const { artifact } = result
  log(`${artifact.relativePath}: ${artifact.size} bytes, sha256 ${artifact.sha256 || 'unknown'}`)
  const sourceOptions = {
    bucket: config.sourceBucket,
    prefix: config.sourcePrefix,
    expectedBucketOwner: config.expectedBucketOwner
  }
  // An object already in S3 (source-object) is signed as it is: no upload.
  const source =
    artifact.object ??
    (await shared.sources.get(sourceKey(config.sourcePrefix, artifact), () =>
      ensureSourceObject(clients.s3, artifact, context, sourceOptions, log)
    ))
  result.source = source

  const tokenInput: TokenInput = {
    repository: context.repository,
    commit: context.commit,
    profileName: config.profileName,
    profileOwner: config.profileOwner,
    sourceBucket: source.bucket,
    sourceKey: source.key,
    sha256: artifact.object ? '' : artifact.sha256,
    sourceVersionId: artifact.object?.versionId,
    destinationBucket: config.destinationBucket,
    destinationPrefix: config.destinationPrefix
  }
  const { token, job, describeError } = await shared.jobs.get(clientRequestToken(tokenInput), () =>
    startOrFindJob(clients.signer, tokenInput, source, config, shared.startedAt, log)
  )
  result.clientRequestToken = token
  result.job = job
  log(`Signing job ${job.jobId} (owner ${job.jobOwner ?? 'unknown'}), token ${token}`)
  // A read that the SDK does not retry (AccessDenied) will fail the same way while waiting: fail now.
  if (describeError !== undefined && config.wait && !isRetriedBySdk(describeError)) {
    throw new JobStatusError(job.jobId, 'DescribeSigningJob', describeError)
  }
}
