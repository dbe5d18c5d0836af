import * as core from '@actions/core'
import { SignerClient } from '@aws-sdk/client-signer'
import { SignConfig } from '../config'
import { errorMessage } from '../errors'
import { describeSigningJob, startSigningJob } from './job'
import { JobRequestSummary, jobMismatches, mismatchText } from './job-check'
import { TokenInput, clientRequestToken } from './token'
import { JobState, Log, SourceObject } from './types'

/** How many times re-runs may retry a request whose earlier jobs Failed, before they stop trying. */
export const MAX_FAILED_JOB_RETRIES = 3

export interface StartedJob {
  token: string
  job: JobState
  /** DescribeSigningJob right after the start failed with this: the job's status is not known. */
  describeError?: unknown
}

/** Signing a job handed back for this run's tokens would sign, record or release something else. */
export class JobMismatchError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'JobMismatchError'
  }
}

/** Mutable fields of `update` that are set win; unset ones keep what was known (jobOwner from the start). */
export function mergeJob(known: JobState, update: Partial<JobState>): JobState {
  const merged: JobState = { ...known }
  for (const [name, value] of Object.entries(update)) {
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[name] = value
  }
  return merged
}

interface Attempt extends StartedJob {
  /** What the job handed back does differently from what was asked: not this run's job. */
  differences: string[]
}

/**
 * One token sequence: the token, then its retry tokens. A job found already Failed, and created before this
 * run began, failed in an earlier run: the next retry token starts a new one, so re-running a workflow
 * after a transient failure signs again, while every later re-run finds that same retry's job. A job that
 * fails during this run is this run's failure and is not retried. A job that signs something else ends the
 * sequence: none of its tokens can be trusted any more.
 */
async function startWithRetries(
  signer: SignerClient,
  tokenFor: (retry: number) => string,
  asked: JobRequestSummary,
  runStartedAt: Date,
  log: Log
): Promise<Attempt> {
  for (let retry = 0; ; retry++) {
    const token = tokenFor(retry)
    const started = await startSigningJob(signer, {
      source: asked.source as SourceObject,
      destinationBucket: asked.destinationBucket,
      destinationPrefix: asked.destinationPrefix,
      profileName: asked.profileName,
      profileOwner: asked.profileOwner,
      clientRequestToken: token
    })
    let job = started
    try {
      job = mergeJob(started, await describeSigningJob(signer, started.jobId))
    } catch (error) {
      log(`Could not read the status of job ${started.jobId} (${errorMessage(error)}); it was started`)
      return { token, job, describeError: error, differences: [] }
    }
    const differences = jobMismatches(job, asked)
    if (differences.length > 0) return { token, job, differences }
    const failedEarlier =
      job.status === 'Failed' && job.createdAt !== undefined && job.createdAt < runStartedAt
    if (!failedEarlier || retry >= MAX_FAILED_JOB_RETRIES) return { token, job, differences }
    log(
      `Job ${job.jobId} for these bytes failed in an earlier run (${job.statusReason ?? 'no reason given'}); ` +
        `retrying with a new token (retry ${retry + 1} of ${MAX_FAILED_JOB_RETRIES})`
    )
  }
}

/**
 * Starts the job, or finds the one an earlier run started with the same token, and adopts it only when it
 * signs what this run asked for (source bucket, key and version, profile and owner). A job that signs
 * something else is refused with a warning naming it, and the run signs with a job of its own: the fallback
 * token adds the source version, which nobody could know before it existed, so a re-run finds that same
 * job. Should the fallback's job sign something else too, the run fails naming both jobs: it never signs
 * with one it cannot account for.
 */
export async function startOrFindJob(
  signer: SignerClient,
  tokenInput: TokenInput,
  source: SourceObject,
  config: Pick<SignConfig, 'profileName' | 'profileOwner' | 'destinationBucket' | 'destinationPrefix'> & {
    profileVersion?: string
  },
  runStartedAt: Date,
  log: Log
): Promise<StartedJob> {
  const asked: JobRequestSummary = {
    source,
    profileName: config.profileName,
    profileVersion: config.profileVersion,
    profileOwner: config.profileOwner,
    destinationBucket: config.destinationBucket,
    destinationPrefix: config.destinationPrefix
  }
  const first = await startWithRetries(
    signer,
    retry => clientRequestToken(tokenInput, retry),
    asked,
    runStartedAt,
    log
  )
  if (first.differences.length === 0) return first
  const refused = mismatchText(first.job, first.differences)
  core.warning(
    `Not adopted: ${refused}. It was started earlier with this run's clientRequestToken ${first.token} (by ` +
      'someone else, or before the profile changed); signing with a job of this run instead (a token that ' +
      'includes the source version)'
  )
  log(`Refused ${refused}`)
  const fallback = await startWithRetries(
    signer,
    retry => clientRequestToken(tokenInput, retry, source.versionId),
    asked,
    runStartedAt,
    log
  )
  if (fallback.differences.length > 0) {
    throw new JobMismatchError(
      `${refused}; and ${mismatchText(fallback.job, fallback.differences)}. Neither job was used: find ` +
        'who started them (DescribeSigningJob requestedBy) before signing this version again'
    )
  }
  return fallback
}
