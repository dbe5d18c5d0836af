import * as core from '@actions/core'
import { AwsClients } from '../aws'
import { SignConfig } from '../config'
import { RunContext } from '../context'
import { Slots } from '../concurrency'
import { JobFailedError, JobStatusError, PartialFailureError, errorMessage } from '../errors'
import { setOutputs } from '../report/outputs'
import { signOutputs } from '../report/sign-outputs'
import { writeSubjectChecksums } from '../report/subject-checksums'
import { writeSignSummary } from '../report/sign-summary'
import { uploadToRelease } from '../release/run'
import { resolveArtifacts } from './artifacts'
import { CANCEL_BUDGET_MS, onCancel } from './cancel'
import { finishArtifact } from './finish'
import { PreflightResult, preflight } from './preflight'
import { jobMismatches, mismatchText } from './job-check'
import { PrepareShared, prepareArtifact, prepareShared } from './prepare'
import { refuseOutputDirOutside } from './safe-paths'
import { JobMismatchError, mergeJob } from './start-job'
import { recordProvenance } from './record'
import { resolveSourceObject } from './source-object'
import { StartRecorder } from './start-record'
import { includePatterns, noFilesFoundWarnings, unmatchedPatterns } from './unmatched'
import { Artifact, ArtifactResult, Log } from './types'
import { JobWatcher } from './watch'

/**
 * Sign mode: resolve and hash the artifacts, check the account (preflight), then three stages per artifact,
 * the data flowing one way: prepare (source object, token, job started), watch (one watcher for every job
 * of the run), finish (download). Prepare and finish move the artifact's bytes and share max-concurrency
 * slots; waiting in Signer holds none, so many small artifacts wait for their jobs together. Outputs and the
 * summary cover every artifact, including the ones that failed; the step then fails naming each of them.
 */
export async function runSign(
  config: SignConfig,
  clients: AwsClients,
  context: RunContext
): Promise<ArtifactResult[]> {
  await refuseOutputDirOutside(config.outputDir, config.workspace)
  const resolved = config.sourceObject
    ? await resolveSourceObject(config.sourceObject, config, clients)
    : await resolveFiles(config, clients)
  if (!resolved) {
    // if-no-files-found: warn or ignore, and no line matched: the step succeeds having signed nothing.
    setOutputs(signOutputs([]))
    return []
  }
  const { artifacts, preflight: checked } = resolved
  for (const warning of checked.warnings) core.warning(warning)
  core.info(`Preflight passed: ${checked.checked.join('; ')}`)

  const shared = prepareShared(checked.profileVersion)
  const stages: Stages = {
    config,
    clients,
    context,
    shared,
    recorder: new StartRecorder(clients.s3, config, context, clients.region, shared.startedAt, artifacts),
    bytesInFlight: new Slots(config.maxConcurrency),
    watcher: new JobWatcher(clients.signer, { info: core.info, warning: core.warning })
  }
  const results: ArtifactResult[] = artifacts.map(artifact => ({ artifact }))
  const stopReportingCancel = onCancel(async signal => {
    const unrecorded = await stages.recorder.settle(results, CANCEL_BUDGET_MS)
    reportCancelled(results, signal, unrecorded)
  })
  let manifest: string | undefined
  try {
    await Promise.all(
      results.map(async result => {
        const lines: string[] = []
        await signArtifact(result, stages, line => lines.push(line))
        // Buffered, then printed at once: concurrent artifacts never interleave inside a group.
        core.startGroup(`${result.artifact.relativePath}: ${describeOutcome(result)}`)
        for (const line of lines) core.info(line)
        core.endGroup()
      })
    )
    // Inside the cancel handler's reach: a run cancelled while writing records still sets its outputs.
    manifest = await recordProvenance(results, config, clients, context)
  } finally {
    stopReportingCancel()
  }

  setOutputs(signOutputs(results))
  if (results.length > 1) core.warning(SINGLE_OUTPUTS_UNSET)
  const checksums = await writeSubjectChecksums(results, config.outputDir)
  if (checksums) setOutputs({ 'subject-checksums': checksums })
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
  // Only a fully signed run reaches a release: half a set of signed files would look complete there.
  if (config.release) {
    await uploadToRelease(results, { ...config.release, manifest }, context)
  }
  return results
}

const SINGLE_OUTPUTS_UNSET =
  'More than one artifact was signed, so the single-artifact outputs (job-id, signed-path, signed-key, ' +
  'signature-expires-at...) are left unset: read each artifact from the jobs output, a JSON array ' +
  '(for example fromJSON(steps.<id>.outputs.jobs)[0].signedPath)'

/**
 * Steps 1 and 2 for path: the files matched and hashed, then preflight. Undefined when no line matched
 * and if-no-files-found lets the run go on (warn, ignore).
 */
async function resolveFiles(
  config: SignConfig,
  clients: AwsClients
): Promise<{ artifacts: Artifact[]; preflight: PreflightResult } | undefined> {
  const unmatched = await unmatchedPatterns(config.patterns, config.workspace, config.outputDir)
  for (const warning of noFilesFoundWarnings(
    unmatched,
    config.patterns,
    config.workspace,
    config.ifNoFilesFound
  )) {
    core.warning(warning)
  }
  if (unmatched.length === includePatterns(config.patterns).length) {
    core.info('No file matched path: nothing to sign')
    return undefined
  }
  const artifacts = await resolveArtifacts(config.patterns, config.workspace, {
    concurrency: config.maxConcurrency,
    excludeDir: config.outputDir
  })
  core.info(
    `Signing ${artifacts.length} artifact${artifacts.length === 1 ? '' : 's'} with profile ` +
      `${config.profileName}${config.profileOwner ? ` (owner ${config.profileOwner})` : ''}`
  )
  return { artifacts, preflight: await preflight({ ...config, region: clients.region }, artifacts, clients) }
}

/** Outputs for what was started, and a plain account of it: the jobs go on in Signer after the step ends. */
function reportCancelled(results: ArtifactResult[], signal: NodeJS.Signals, unrecorded: string[]): void {
  setOutputs(signOutputs(results))
  if (unrecorded.length > 0) {
    core.error(
      `Cancelled before the provenance records of signing job(s) ${unrecorded.join(', ')} were written: ` +
        'revoke mode cannot find them by commit, run or repository; a re-run of this commit records them'
    )
  }
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

interface Stages {
  config: SignConfig
  clients: AwsClients
  context: RunContext
  shared: PrepareShared
  /** Start records, written right after each job starts. */
  recorder: StartRecorder
  /** max-concurrency: artifacts hashing, uploading or downloading at once. */
  bytesInFlight: Slots
  watcher: JobWatcher
}

/** One artifact through the three stages; a failure is recorded in `result`, never thrown. */
async function signArtifact(result: ArtifactResult, stages: Stages, log: Log): Promise<void> {
  const { config, clients, context, shared, bytesInFlight, watcher, recorder } = stages
  try {
    try {
      await bytesInFlight.run(() =>
        recorder.track(prepareArtifact(result, config, clients, context, shared, log))
      )
    } catch (error) {
      // A job started whose status could not be read is still this run's job: it may yet sign.
      if (error instanceof JobStatusError) await recorder.record(result)
      throw error
    }
    // Before anything else of the job is used: a run stopped from here on leaves its record.
    await recorder.record(result)
    const started = result.job
    const source = result.source
    if (!started || !source) throw new Error('the prepare stage ended without a job')

    if (!config.wait) {
      log(`Not waiting (wait: false): job ${started.jobId} is ${started.status}`)
      return
    }
    // The prepare stage has just described the job: only one still in progress needs the watcher.
    const job =
      started.status === 'InProgress'
        ? mergeJob(started, await watcher.watch(started, config.timeoutSeconds))
        : started
    result.job = job
    if (job.status === 'Failed') throw new JobFailedError(job.jobId, job.statusReason ?? '')
    // Now that the job is done Signer names its signed object: the destination is checked with the rest.
    const differences = jobMismatches(job, { ...config, source, profileVersion: shared.profileVersion })
    if (differences.length > 0) {
      throw new JobMismatchError(
        `${mismatchText(job, differences)}; it was not used. A re-run signs with a job of its own`
      )
    }

    await bytesInFlight.run(() => finishArtifact(result, job, config, clients, log))
  } catch (error) {
    result.error = error instanceof Error ? error : new Error(String(error))
    log(`Error: ${errorMessage(error)}`)
  }
}
