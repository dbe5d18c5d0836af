import { AwsClients } from '../aws'
import { SignConfig } from '../config'
import { RunContext } from '../context'
import { JobStatusError } from '../errors'
import { OnceMap } from './once'
import { ensureSourceObject, sourceKey } from './source'
import { StartedJob, startOrFindJob } from './start-job'
import { TokenInput, clientRequestToken } from './token'
import { ArtifactResult, Log, SourceObject } from './types'
import { isRetriedBySdk } from './watch-plan'

/** What the artifacts of one run share while they are prepared. */
export interface PrepareShared {
  /** Jobs created before this moment were started by an earlier run. */
  startedAt: Date
  /** The profile's current version, when preflight read it: a job found for a token must sign with it. */
  profileVersion?: string
  sources: OnceMap<string, SourceObject>
  jobs: OnceMap<string, StartedJob>
}

export function prepareShared(profileVersion?: string): PrepareShared {
  return { startedAt: new Date(), profileVersion, sources: new OnceMap(), jobs: new OnceMap() }
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
    startOrFindJob(
      clients.signer,
      tokenInput,
      source,
      { ...config, profileVersion: shared.profileVersion },
      shared.startedAt,
      log
    )
  )
  result.clientRequestToken = token
  result.job = job
  log(`Signing job ${job.jobId} (owner ${job.jobOwner ?? 'unknown'}), token ${token}`)
  // A read that the SDK does not retry (AccessDenied) will fail the same way while waiting: fail now.
  if (describeError !== undefined && config.wait && !isRetriedBySdk(describeError)) {
    throw new JobStatusError(job.jobId, 'DescribeSigningJob', describeError)
  }
}
