import * as core from '@actions/core'
import { AwsClients } from '../aws'
import { RevokeConfig } from '../config'
import { RunContext } from '../context'
import { PartialFailureError, PlanChangedError } from '../errors'
import { setOutputs } from '../report/outputs'
import { incidentRecord, recordFilePath, writeIncidentRecord } from '../report/revoke-record'
import { writeRevokeSummary } from '../report/revoke-summary'
import { mapLimit } from '../concurrency'
import { iso } from './format'
import { approvalMessage, compareWithApproved } from './approval'
import {
  buildTargets,
  planJob,
  planLines,
  planProfile,
  profileMeaning,
  profileResultFromPlan,
  resultFromPlan,
  unlistedWarning
} from './plan'
import {
  ProvenanceResolution,
  contradictionLines,
  findByProvenance,
  mergeTargets,
  provenanceLine,
  provenanceWarnings
} from './provenance'
import { revokeJob, revokeProfile } from './revoke'
import { readPlatforms } from './platforms'
import { SearchResult, searchJobs } from './search'
import { readJobStates, readProfileState } from './state'
import { JobResult, ProfilePlan, ProfileResult, RevokeRecord } from './types'

/** At most this many Signer calls in flight at once; the SDK's retries absorb the throttling that remains. */
const REVOKE_CONCURRENCY = 8

export interface RevokeDeps {
  now?: () => Date
  /** Signer calls in flight at once. */
  concurrency?: number
  /** ListSigningJobs page size. */
  pageSize?: number
}

/**
 * Revoke mode: find the targets, read their state, print the plan, then revoke (or, in a dry run, stop
 * there). Every target is tried; the step fails at the end naming each one that could not be revoked.
 */
export async function runRevoke(
  config: RevokeConfig,
  clients: AwsClients,
  context: RunContext,
  deps: RevokeDeps = {}
): Promise<RevokeRecord> {
  const now = deps.now ?? (() => new Date())
  const concurrency = deps.concurrency ?? REVOKE_CONCURRENCY
  const startedAt = now()
  const { signer } = clients

  // The profile first: its platform lets the search filter on it.
  const profileState = config.profileRevocation
    ? await readProfileState(signer, config.profileRevocation)
    : undefined
  let search: SearchResult | undefined
  if (config.jobSearch) {
    const jobSearch = config.jobSearch
    const platformId = profileState?.kind === 'found' ? profileState.platformId : undefined
    search = await core.group(`Searching the signing jobs of profile ${jobSearch.profileName}`, () =>
      searchJobs(signer, jobSearch, { pageSize: deps.pageSize, platformId, now: startedAt })
    )
    const horizon = search.report.listedSince
    if (horizon) core.warning(unlistedWarning(jobSearch.profileName, horizon))
  }

  let provenance: ProvenanceResolution | undefined
  if (config.provenance) {
    const provenanceSearch = config.provenance
    provenance = await core.group('Finding the signing jobs by their provenance records', () =>
      findByProvenance(clients.s3, signer, provenanceSearch, search?.jobs, {
        concurrency,
        pageSize: deps.pageSize
      })
    )
  }
  // With provenance filters the window's jobs are targets only when their records match.
  const targets = provenance
    ? mergeTargets(buildTargets(config, []), provenance.targets)
    : buildTargets(config, search?.jobs ?? [])
  const states = await readJobStates(signer, targets, concurrency)
  const platformOf = await readPlatforms(signer, [...states, profileState])
  const jobPlans = targets.map((target, i) => planJob(target, states[i], platformOf(states[i])))
  const profilePlan =
    config.profileRevocation && profileState
      ? planProfile(config.profileRevocation, profileState, platformOf(profileState))
      : undefined

  await core.group(config.dryRun ? 'Plan (dry run: no revoke call is made)' : 'Plan', async () => {
    core.info(`Reason: ${config.reason}`)
    for (const line of planLines(jobPlans, profilePlan, search?.report, config.dryRun)) core.info(line)
    if (provenance) core.info(provenanceLine(provenance.report))
  })
  for (const warning of provenance ? provenanceWarnings(provenance.report) : []) core.warning(warning)
  const changed =
    config.approvedJobIds && approvalMessage(compareWithApproved(jobPlans, config.approvedJobIds))
  if (changed) throw new PlanChangedError(changed)
  for (const plan of jobPlans) {
    if (plan.action === 'skip') core.notice(`Signing job ${plan.target.jobId} skipped: ${plan.detail}`)
    if (plan.warning) core.warning(`Signing job ${plan.target.jobId}: ${plan.warning}`)
  }
  if (profilePlan) {
    const { profileName, profileVersion } = profilePlan.target
    if (profilePlan.action === 'skip') {
      core.notice(`Profile ${profileName} version ${profileVersion} skipped: ${profilePlan.detail}`)
    }
    if (profilePlan.warning)
      core.warning(`Profile ${profileName} version ${profileVersion}: ${profilePlan.warning}`)
  }

  let profile: ProfileResult | undefined
  let jobs: JobResult[]
  if (config.dryRun) {
    profile = profilePlan && profileResultFromPlan(profilePlan)
    jobs = jobPlans.map(plan => resultFromPlan(plan))
  } else {
    // The profile first: one call that stops trusting everything the version signs after effective-time.
    profile = profilePlan && (await applyProfile(signer, profilePlan, config.reason))
    const toRevoke = jobPlans.filter(plan => plan.action === 'revoke').length
    jobs = await core.group(`Revoking ${toRevoke} signature(s)`, () =>
      mapLimit(jobPlans, concurrency, async plan => {
        if (plan.action !== 'revoke') return resultFromPlan(plan)
        const result = await revokeJob(signer, plan, config.reason)
        if (result.outcome === 'revoked') core.info(`Revoked the signature of signing job ${result.jobId}`)
        return result
      })
    )
  }

  const record: RevokeRecord = {
    reason: config.reason,
    dryRun: config.dryRun,
    actor: context.actor,
    startedAt: iso(startedAt),
    repository: context.repository,
    runUrl:
      context.repository && context.runId
        ? `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`
        : undefined,
    jobs,
    profile,
    search: search?.report,
    provenance: provenance?.report
  }
  const recordPath = await writeIncidentRecord(
    recordFilePath(context, config.dryRun),
    incidentRecord(record, config)
  )

  const ids = (outcome: JobResult['outcome']): string =>
    JSON.stringify(jobs.filter(job => job.outcome === outcome).map(job => job.jobId))
  setOutputs({
    'revoked-job-ids': ids('revoked'),
    'skipped-job-ids': ids('already-revoked'),
    'failed-job-ids': ids('failed'),
    'planned-job-ids': JSON.stringify(
      jobPlans.filter(plan => plan.action === 'revoke').map(p => p.target.jobId)
    ),
    'revoked-profile-version': profile?.outcome === 'revoked' ? profile.target.profileVersion : '',
    'unresolved-job-ids': JSON.stringify(provenance?.report.unresolved ?? []),
    'contradicted-job-ids': JSON.stringify(provenance?.report.contradicted.map(c => c.jobId) ?? []),
    'record-path': recordPath
  })
  if (config.showSummary) await writeRevokeSummary(record)

  const failures = failureLines(record)
  for (const line of failures) core.error(line)
  if (failures.length > 0) {
    const failedJobs = jobs.filter(job => job.outcome === 'failed').map(job => job.jobId)
    const targets: string[] = []
    if (failedJobs.length > 0) targets.push(`signing job(s) ${failedJobs.join(', ')}`)
    if (profile?.outcome === 'failed') {
      targets.push(`profile ${profile.target.profileName} version ${profile.target.profileVersion}`)
    }
    const contradicted = provenance?.report.contradicted.map(c => c.jobId) ?? []
    if (contradicted.length > 0) {
      targets.push(`signing job(s) ${contradicted.join(', ')} (records contradicted)`)
    }
    const searches: string[] = []
    if (search?.report.error) searches.push('the time-window search')
    if (provenance?.report.error) searches.push('the provenance search')
    const sentences: string[] = []
    if (targets.length > 0) {
      sentences.push(
        `${config.dryRun ? 'Dry run: cannot revoke' : 'Could not revoke'} ${targets.join('; ')}.`
      )
    }
    if (searches.length > 0) {
      const found = config.dryRun ? 'planned' : 'revoked'
      const failed = searches.join(' and ')
      sentences.push(
        `${failed[0].toUpperCase()}${failed.slice(1)} failed: the jobs it would find are not ${found}.`
      )
    }
    throw new PartialFailureError(`${sentences.join(' ')} Each is reported above with its cause.`)
  }
  return record
}

async function applyProfile(
  signer: AwsClients['signer'],
  plan: ProfilePlan,
  reason: string
): Promise<ProfileResult> {
  if (plan.action !== 'revoke') return profileResultFromPlan(plan)
  const { profileName, profileVersion, effectiveTime } = plan.target
  const result = await revokeProfile(signer, plan, reason)
  if (result.outcome === 'revoked') {
    core.info(
      `Revoked profile ${profileName} version ${profileVersion} effective ${iso(effectiveTime)}: ` +
        `${profileMeaning(plan.target)}.`
    )
  }
  return result
}

/** One line per thing that could not be revoked, with its cause: the annotations of a failed run. */
export function failureLines(record: RevokeRecord): string[] {
  const lines: string[] = []
  if (record.search?.error) lines.push(`Time-window search: ${record.search.error}`)
  if (record.provenance?.error) lines.push(`Provenance search: ${record.provenance.error}`)
  if (record.provenance) lines.push(...contradictionLines(record.provenance))
  const { profile } = record
  if (profile?.outcome === 'failed') {
    lines.push(
      `Profile ${profile.target.profileName} version ${profile.target.profileVersion}: ${profile.detail}`
    )
  }
  for (const job of record.jobs) {
    if (job.outcome === 'failed') lines.push(`Signing job ${job.jobId}: ${job.detail}`)
  }
  return lines
}
