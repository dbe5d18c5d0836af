import {
  DescribeSigningJobCommand,
  DescribeSigningJobCommandOutput,
  SignerClient,
  StartSigningJobCommand,
  waitUntilSuccessfulSigningJob
} from '@aws-sdk/client-signer'
import { JobFailedError, WaitTimeoutError } from '../errors'
import { JobState, SourceObject } from './types'

export interface JobRequest {
  source: SourceObject
  destinationBucket: string
  destinationPrefix: string
  profileName: string
  profileOwner?: string
  clientRequestToken: string
}

/** Step 5. Signer is idempotent on the token: the same token gives back the job it already started. */
export async function startSigningJob(signer: SignerClient, request: JobRequest): Promise<JobState> {
  const started = await signer.send(
    new StartSigningJobCommand({
      source: {
        s3: { bucketName: request.source.bucket, key: request.source.key, version: request.source.versionId }
      },
      destination: { s3: { bucketName: request.destinationBucket, prefix: request.destinationPrefix } },
      profileName: request.profileName,
      profileOwner: request.profileOwner,
      clientRequestToken: request.clientRequestToken
    })
  )
  if (!started.jobId) throw new Error('StartSigningJob returned no jobId')
  return { jobId: started.jobId, jobOwner: started.jobOwner, status: 'InProgress' }
}

export function jobState(described: DescribeSigningJobCommandOutput, jobId: string): JobState {
  const s3 = described.signedObject?.s3
  return {
    jobId: described.jobId ?? jobId,
    jobOwner: described.jobOwner,
    status: described.status ?? 'InProgress',
    statusReason: described.statusReason,
    createdAt: described.createdAt,
    signatureExpiresAt: described.signatureExpiresAt,
    signedObject: s3?.bucketName && s3.key ? { bucket: s3.bucketName, key: s3.key } : undefined,
    sourceVersion: described.source?.s3?.version,
    profileVersion: described.profileVersion,
    platformId: described.platformId
  }
}

export async function describeSigningJob(signer: SignerClient, jobId: string): Promise<JobState> {
  return jobState(await signer.send(new DescribeSigningJobCommand({ jobId })), jobId)
}

/**
 * The first poll is immediate, then 1 s, then backing off (with the SDK's jitter) to at most 3 s:
 * a job that finishes is noticed within a second or so, instead of the waiter's 20 s default.
 */
export const WAIT_MIN_DELAY_SECONDS = 1
export const WAIT_MAX_DELAY_SECONDS = 3

const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise(resolve => setTimeout(resolve, ms)) : Promise.resolve()

export function waiterDelays(timeoutSeconds: number): { minDelay: number; maxDelay: number } {
  // The SDK wants maxWaitTime > minDelay; a 1 s timeout still gets a poll or two.
  const minDelay = Math.min(WAIT_MIN_DELAY_SECONDS, timeoutSeconds / 2)
  return { minDelay, maxDelay: Math.max(minDelay, Math.min(WAIT_MAX_DELAY_SECONDS, timeoutSeconds / 2)) }
}

/**
 * Step 6: the SDK's waiter with tuned delays. Succeeded returns the final state; Failed becomes a
 * JobFailedError with Signer's statusReason; not finished in time becomes a WaitTimeoutError with the job id.
 */
export async function waitForSigningJob(
  signer: SignerClient,
  jobId: string,
  timeoutSeconds: number
): Promise<JobState> {
  const deadline = Date.now() + timeoutSeconds * 1000
  try {
    const result = await waitUntilSuccessfulSigningJob(
      { client: signer, maxWaitTime: timeoutSeconds, ...waiterDelays(timeoutSeconds) },
      { jobId }
    )
    const described = result.reason as DescribeSigningJobCommandOutput | undefined
    if (described?.status === 'Succeeded') return jobState(described, jobId)
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') {
      // The waiter gives up when its next delay would pass the deadline, up to one delay early: use the
      // time left, then ask once more, so a job finishing in the last seconds is not reported as timed out.
      await sleep(deadline - Date.now())
      const last = await describeSigningJob(signer, jobId).catch(() => undefined)
      if (last?.status === 'Succeeded') return last
      if (last?.status === 'Failed') throw new JobFailedError(jobId, last.statusReason ?? '')
      throw new WaitTimeoutError(jobId, timeoutSeconds)
    }
    // The waiter's other failures carry the last response only inside a JSON message: ask Signer again.
    // Its answer, or its error (ResourceNotFoundException), says more than that message.
    const state = await describeSigningJob(signer, jobId)
    if (state.status === 'Failed') throw new JobFailedError(jobId, state.statusReason ?? '')
    if (state.status === 'Succeeded') return state
    throw error
  }
  return describeSigningJob(signer, jobId)
}
