import * as core from '@actions/core'
import { SignerClient } from '@aws-sdk/client-signer'
import { AwsClients } from '../aws'
import { SignConfig } from '../config'
import { RunContext } from '../context'
import { mapLimit } from '../concurrency'
import { JobFailedError, PartialFailureError, errorMessage } from '../errors'
import { setOutputs } from '../report/outputs'
import { signOutputs } from '../report/sign-outputs'
import { writeSignSummary } from '../report/sign-summary'
import { resolveArtifacts } from './artifacts'
import { downloadSignedObject, signedPath } from './download'
import { describeSigningJob, startSigningJob, waitForSigningJob } from './job'
import { onCancel } from './cancel'
import { OnceMap } from './once'
import { preflight } from './preflight'
import { recordProvenance } from './record'
import { ensureSourceObject, sourceKey } from './source'
import { TokenInput, clientRequestToken } from './token'
import { ArtifactResult, JobState, Log, SourceObject } from './types'

/**
 * Sign mode: resolve and hash the artifacts, check the account (preflight), then for each artifact, at most
 * max-concurrency at once: source object, token, job, wait, download. Outputs and the summary cover every
 * artifact, including the ones that failed; the step then fails naming each failed artifact.
 */
export async function runSign(
  config: SignConfig,
  clients: AwsClients,
  context: RunContext
): Promise<ArtifactResult[]> {
  const artifacts = await resolveArtifacts(config.patterns, config.workspace, {
    concurrency: config.maxConcurrency,
    excludeDir: config.outputDir
  })
  core.info(
    `Signing ${artifacts.length} artifact${artifacts.length === 1 ? '' : 's'} with profile ` +
      `${config.profileName}${config.profileOwner ? ` (owner ${config.profileOwner})` : ''}`
  )
  const { platformId } = await preflight({ ...config, region: clients.region }, artifacts, clients)
  core.info(`Preflight passed: profile Active on ${platformId}, source bucket versioned, sizes within limit`)

  const shared: Shared = {
    startedAt: new Date(),
    sources: new OnceMap<string, SourceObject>(),
    jobs: new OnceMap<string, StartedJob>()
  }
  const results: ArtifactResult[] = artifacts.map(artifact => ({ artifact }))
  const stopReportingCancel = onCancel(signal => reportCancelled(results, signal))
  try {
    await mapLimit(results, config.maxConcurrency, async result => {
      const lines: string[] = []
      await signArtifact(result, config, clients, context, shared, line => lines.push(line))
      // Buffered, then printed at once: concurrent artifacts never interleave inside a group.
      core.startGroup(`${result.artifact.relativePath}: ${describeOutcome(result)}`)
      for (const line of lines) core.info(line)
      core.endGroup()
    })
  } finally {
    stopReportingCancel()
  }
  await recordProvenance(results, config, clients, context)

  setOutputs(signOutputs(results))
  if (config.showSummary) {
    // A summary that cannot be written (no GITHUB_STEP_SUMMARY outside a runner) must not hide the results.
    await writeSignSummary(results, { ...config, region: clients.region }).catch((error: unknown) =>
      core.warning(`Could not write the job summary: ${errorMessage(error)}`)
    )
  }

  const failed = results.filter(result => result.error)
  for (const result of failed) {
    core.error(errorMessage(result.error), { title: `Signing ${result.artifact.relativePath} failed` })
  }
  if (failed.length > 0) {
    throw new PartialFailureError(
      `Signing failed for ${failed.length} of ${results.length} artifact${results.length === 1 ? '' : 's'}: ` +
        failed.map(result => `${result.artifact.relativePath} (${errorMessage(result.error)})`).join('; ')
    )
  }
  return results
}

/** Outputs for what was started, and a plain account of it: the jobs go on in Signer after the step ends. */
function reportCancelled(results: ArtifactResult[], signal: NodeJS.Signals): void {
  setOutputs(signOutputs(results))
  const started = results.filter(result => result.job)
  const jobs = started.map(result => `${result.artifact.relativePath}: job ${result.job?.jobId}`).join('; ')
  core.error(
    `Cancelled (${signal}) with ${started.length} of ${results.length} signing job(s) started` +
      (jobs
        ? ` (${jobs}). They go on in AWS Signer; a re-run of this commit finds them by their tokens.`
        : '.')
  )
}

function describeOutcome(result: ArtifactResult): string {
  if (result.error) return `failed${result.job ? ` (job ${result.job.jobId} ${result.job.status})` : ''}`
  return result.job ? `job ${result.job.jobId} ${result.job.status}` : 'no job'
}

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

interface StartedJob {
  token: string
  job: JobState
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

interface Shared {
  /** Jobs created before this moment were started by an earlier run. */
  startedAt: Date
  sources: OnceMap<string, SourceObject>
  jobs: OnceMap<string, StartedJob>
}

/** Fills in `result` step by step, so that a cancelled run can report how far each artifact got. */
async function signArtifact(
  result: ArtifactResult,
  config: SignConfig,
  clients: AwsClients,
  context: RunContext,
  shared: Shared,
  log: Log
): Promise<void> {
  const { artifact } = result
  log(`${artifact.relativePath}: ${artifact.size} bytes, sha256 ${artifact.sha256}`)
  try {
    const sourceOptions = {
      bucket: config.sourceBucket,
      prefix: config.sourcePrefix,
      expectedBucketOwner: config.expectedBucketOwner
    }
    const source = await shared.sources.get(sourceKey(config.sourcePrefix, artifact), () =>
      ensureSourceObject(clients.s3, artifact, context, sourceOptions, log)
    )
    result.source = source

    const tokenInput: TokenInput = {
      repository: context.repository,
      commit: context.commit,
      profileName: config.profileName,
      profileOwner: config.profileOwner,
      sourceBucket: source.bucket,
      sourceKey: source.key,
      sha256: artifact.sha256,
      destinationBucket: config.destinationBucket,
      destinationPrefix: config.destinationPrefix
    }
    const { token, job: started } = await shared.jobs.get(clientRequestToken(tokenInput), () =>
      startOrFindJob(clients.signer, tokenInput, source, config, shared.startedAt, log)
    )
    result.clientRequestToken = token
    result.job = started
    log(`Signing job ${started.jobId} (owner ${started.jobOwner ?? 'unknown'}), token ${token}`)

    if (!config.wait) {
      result.source = sourceSigned(source, result.job, log)
      log(`Not waiting (wait: false): job ${result.job.jobId} is ${result.job.status}`)
      return
    }

    // startOrFindJob has just described the job: only one still in progress needs the waiter.
    if (started.status === 'Failed') throw new JobFailedError(started.jobId, started.statusReason ?? '')
    if (started.status !== 'Succeeded') {
      try {
        result.job = mergeJob(
          started,
          await waitForSigningJob(clients.signer, started.jobId, config.timeoutSeconds)
        )
      } catch (error) {
        if (error instanceof JobFailedError) {
          result.job = mergeJob(started, { status: 'Failed', statusReason: error.statusReason })
        }
        throw error
      }
    }
    const job = result.job
    result.source = sourceSigned(source, job, log)
    log(
      `Job ${job.jobId} ${job.status}; signature expires ${job.signatureExpiresAt?.toISOString() ?? 'unknown'}`
    )

    if (config.download) {
      if (!job.signedObject) throw new Error(`Signing job ${job.jobId} succeeded but names no signed object`)
      const target = signedPath(config.outputDir, artifact.relativePath)
      await downloadSignedObject(clients.s3, job.signedObject, target, config.expectedBucketOwner)
      result.signedPath = target
      log(`Downloaded s3://${job.signedObject.bucket}/${job.signedObject.key} to ${target}`)
    }
  } catch (error) {
    result.error = error instanceof Error ? error : new Error(String(error))
    log(`Error: ${errorMessage(error)}`)
  }
}
