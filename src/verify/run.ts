import * as core from '@actions/core'
import { AwsClients } from '../aws'
import { VerifyConfig } from '../config'
import { PartialFailureError } from '../errors'
import { setVerifyOutputs } from '../report/verify-outputs'
import { writeVerifySummary } from '../report/verify-summary'
import { quoted } from './checks'
import { gatherEvidence } from './evidence'
import { listFunctions, readFunctions } from './lambda'
import { readManifest } from './manifest'
import { buildTargets, lambdaJobArns } from './targets'
import { FunctionRead, VerifyRecord } from './types'
import { failedReasons, judgeFunction, judgeJob } from './verdict'

/** Reads in flight at once: a Region's functions share a few jobs, and every read is a Describe or a Get. */
const VERIFY_CONCURRENCY = 8

export interface VerifyDeps {
  now?: () => Date
  concurrency?: number
}

/**
 * Verify mode: the jobs (a manifest, job ids, the functions of a Region) → what Signer, Lambda and the
 * workspace say of each, read once → the checks → a verdict per job and per function. Every job is
 * checked; the step fails at the end naming each invalid job and function with its reasons.
 */
export async function runVerify(
  config: VerifyConfig,
  clients: AwsClients,
  deps: VerifyDeps = {}
): Promise<VerifyRecord> {
  const concurrency = deps.concurrency ?? VERIFY_CONCURRENCY
  // Before any AWS call: a manifest that cannot be read is an input error.
  const manifestJobs = config.manifestPath ? await readManifest(config.manifestPath, config.workspace) : []
  const functions = config.functions ? await readLambda(config.functions, clients, concurrency) : []
  const targets = buildTargets(manifestJobs, config.jobIds, functions)
  const evidence = await gatherEvidence(clients.signer, targets, {
    region: clients.region,
    concurrency,
    jobArns: lambdaJobArns(functions)
  })
  const now = deps.now?.() ?? new Date()
  const jobs = evidence.map(item => judgeJob(item, config.trustedProfiles, now))
  const byId = new Map(jobs.map(job => [job.jobId, job]))
  const named = config.functions?.kind === 'named'
  const record: VerifyRecord = {
    trustedProfiles: config.trustedProfiles?.map(profile => profile.arn),
    now,
    jobs,
    functions: functions.map(fn => judgeFunction(fn, byId, named)),
    functionScope: config.functions?.kind,
    manifestPath: config.manifestPath
  }

  await core.group(`Verdicts of ${jobs.length} signing job(s)`, async () => {
    for (const job of jobs) {
      core.info(`Signing job ${job.jobId}: ${job.verdict}`)
      for (const check of job.checks)
        core.info(`  ${check.ok ? 'pass' : 'FAIL'} ${check.check}: ${check.reason}`)
    }
    for (const fn of record.functions) {
      core.info(`Function ${quoted(fn.name)}: ${fn.verdict}${fn.jobId ? ` (signing job ${fn.jobId})` : ''}`)
    }
  })
  if (!config.trustedProfiles) {
    core.warning(
      'No trusted-profile given: every signing profile was trusted (Signer describes only the jobs this ' +
        'account owns or started, so their profiles are its own or ones it signed with). Name the profiles to trust.'
    )
  }
  for (const fn of record.functions) {
    if (fn.verdict === 'unsigned') core.notice(`Function ${quoted(fn.name)} runs unsigned code`)
  }
  setVerifyOutputs(record)
  if (config.showSummary) await writeVerifySummary(record)

  const invalidJobs = jobs.filter(job => job.verdict === 'invalid')
  const invalidFunctions = record.functions.filter(fn => fn.verdict === 'invalid')
  for (const job of invalidJobs) {
    core.error(`Signing job ${job.jobId} is invalid: ${failedReasons(job).join('; ')}`)
  }
  for (const fn of invalidFunctions) {
    core.error(`Function ${quoted(fn.name)} is invalid: ${fn.reasons.join('; ')}`)
  }
  if (invalidJobs.length > 0 || invalidFunctions.length > 0) {
    const parts: string[] = []
    if (invalidJobs.length > 0) parts.push(`signing job(s) ${invalidJobs.map(job => job.jobId).join(', ')}`)
    if (invalidFunctions.length > 0) {
      parts.push(`function(s) ${invalidFunctions.map(fn => quoted(fn.name)).join(', ')}`)
    }
    throw new PartialFailureError(
      `Verification failed: ${parts.join('; ')} invalid. Each is reported above with its reasons.`
    )
  }
  return record
}

async function readLambda(
  functions: NonNullable<VerifyConfig['functions']>,
  clients: AwsClients,
  concurrency: number
): Promise<FunctionRead[]> {
  const { lambda } = clients
  if (!lambda) throw new Error('verify mode needs the Lambda client that createAwsClients builds')
  if (functions.kind === 'named') return readFunctions(lambda, functions.names, concurrency)
  return core.group('Listing the Lambda functions of the Region', async () => {
    const listed = await listFunctions(lambda)
    core.info(`${listed.length} function(s)`)
    return listed
  })
}
