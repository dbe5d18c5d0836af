import { SigningJob } from '@aws-sdk/client-signer'
import { RevokeConfig } from '../config'
import { iso } from './format'
import {
  JobPlan,
  JobResult,
  JobState,
  JobTarget,
  Outcome,
  PlatformState,
  ProfilePlan,
  ProfileResult,
  ProfileState,
  ProfileTarget,
  RevocationRecord,
  SearchReport
} from './types'

/**
 * The jobs to revoke: those of the job-id input first, in their order, then those the search found, in
 * listing order. A job named in both is revoked once and keeps the job-id input's owner.
 */
export function buildTargets(
  config: Pick<RevokeConfig, 'jobIds' | 'jobOwner'>,
  found: SigningJob[]
): JobTarget[] {
  const targets: JobTarget[] = config.jobIds.map(jobId =>
    withOwner({ jobId, source: 'job-id' }, config.jobOwner)
  )
  const seen = new Set(config.jobIds)
  for (const job of found) {
    if (!job.jobId || seen.has(job.jobId)) continue
    seen.add(job.jobId)
    targets.push(withOwner({ jobId: job.jobId, source: 'search', listed: listedState(job) }, job.jobOwner))
  }
  return targets
}

/** ListSigningJobs already says what DescribeSigningJob would, but for who revoked a revoked job and when. */
export function listedState(job: SigningJob): JobState {
  return {
    kind: 'found',
    jobOwner: job.jobOwner,
    status: job.status,
    profileName: job.profileName,
    profileVersion: job.profileVersion,
    createdAt: job.createdAt,
    platformId: job.platformId,
    revocation: job.isRevoked ? {} : undefined
  }
}

function withOwner(target: JobTarget, jobOwner: string | undefined): JobTarget {
  return jobOwner === undefined ? target : { ...target, jobOwner }
}

/**
 * Revoke, skip (already revoked: no second call) or fail, from the job's state and its platform's. It fails
 * when the job could not be read, and when RevokeSignature would refuse it: a job that is not Succeeded,
 * or one on a platform without revocationSupported. So the dry run fails where the real run would.
 */
export function planJob(target: JobTarget, state: JobState, platform?: PlatformState): JobPlan {
  if (state.kind === 'error') {
    return { target, state, action: 'fail', detail: `DescribeSigningJob: ${state.error}` }
  }
  if (state.revocation) {
    return { target, state, action: 'skip', detail: describeRevocation(state.revocation) }
  }
  const refusal = notRevocable(state.status, platform)
  if (refusal) return { target, state, action: 'fail', detail: refusal }
  const jobOwner = target.jobOwner ?? state.jobOwner
  const plan: JobPlan =
    jobOwner === undefined
      ? { target, state, action: 'revoke' }
      : { target, state, action: 'revoke', jobOwner }
  if (platform?.kind === 'error') plan.warning = platformUnknown(platform)
  return plan
}

/** Why RevokeSignature would refuse a job with this status on this platform, or undefined. */
export function notRevocable(
  status: string | undefined,
  platform: PlatformState | undefined
): string | undefined {
  if (status === 'InProgress') {
    return 'the job is InProgress: only a Succeeded job has a signature to revoke; run again once it has finished'
  }
  if (status !== undefined && status !== 'Succeeded') {
    return `the job is ${status}: only a Succeeded job has a signature to revoke`
  }
  return platformRefusal(platform)
}

function platformRefusal(platform: PlatformState | undefined): string | undefined {
  if (platform?.kind !== 'found' || platform.revocationSupported !== false) return undefined
  const name = platform.displayName?.trim()
    ? `${platform.displayName.trim()} (${platform.platformId})`
    : platform.platformId
  return `signing platform ${name} does not support revocation (revocationSupported is false)`
}

function platformUnknown(platform: PlatformState & { kind: 'error' }): string {
  return (
    `could not tell whether platform ${platform.platformId} supports revocation ` +
    `(GetSigningPlatform: ${platform.error}); the revoke call decides`
  )
}

export function describeRevocation(record: RevocationRecord): string {
  const parts = ['already revoked']
  if (record.revokedAt) parts.push(`at ${iso(record.revokedAt)}`)
  if (record.revokedBy) parts.push(`by ${record.revokedBy}`)
  return record.reason ? `${parts.join(' ')}: ${record.reason}` : parts.join(' ')
}

/**
 * Revoke, skip or fail. A version already revoked is revoked again only to move its start earlier: AWS
 * accepts an earlier effective time and refuses a later one ("cannot be revised to a later date and time"),
 * so the same or a later time is skipped. It fails when the profile could not be read, or when its platform
 * does not support revocation. When the profile's current version differs from the one asked for,
 * RevokeSigningProfile is still called: the API decides.
 */
export function planProfile(
  target: ProfileTarget,
  state: ProfileState,
  platform?: PlatformState
): ProfilePlan {
  if (state.kind === 'error') {
    return { target, state, action: 'fail', detail: `GetSigningProfile: ${state.error}` }
  }
  const sameVersion = state.profileVersion === undefined || state.profileVersion === target.profileVersion
  const recorded = state.revocationEffectiveFrom
  if (state.status === 'Revoked' && sameVersion) {
    if (recorded === undefined) return { target, state, action: 'skip', detail: 'already revoked' }
    const from = `already revoked effective from ${iso(recorded)}`
    const requested = target.effectiveTime.getTime()
    if (requested < recorded.getTime()) {
      return { target, state, action: 'revoke', detail: `${from}; revoking again moves the start earlier` }
    }
    if (requested === recorded.getTime()) return { target, state, action: 'skip', detail: from }
    return {
      target,
      state,
      action: 'skip',
      detail: `${from}, earlier than effective-time ${iso(target.effectiveTime)} (a revocation can be moved earlier, never later)`
    }
  }
  const refusal = platformRefusal(platform)
  if (refusal) return { target, state, action: 'fail', detail: refusal }
  const plan: ProfilePlan = { target, state, action: 'revoke' }
  if (platform?.kind === 'error') plan.warning = platformUnknown(platform)
  return plan
}

/** What a profile revocation means, said plainly for the log and the incident record. */
export function profileMeaning(target: ProfileTarget): string {
  return (
    `signatures made with profile ${target.profileName} version ${target.profileVersion} after ` +
    `${iso(target.effectiveTime)} are no longer trusted; signatures made before that instant stay valid ` +
    'unless their jobs are revoked'
  )
}

/** The result row of a job without a revoke call: planned (in a dry run), already revoked, or failed. */
export function resultFromPlan(plan: JobPlan): JobResult {
  const outcome: Outcome =
    plan.action === 'fail' ? 'failed' : plan.action === 'skip' ? 'already-revoked' : 'planned'
  return jobResult(plan, outcome, plan.detail)
}

/** The profile's result when no call is made: a dry run's plan, a skip or a failure found while planning. */
export function profileResultFromPlan(plan: ProfilePlan): ProfileResult {
  const { target, detail } = plan
  if (plan.action === 'fail') return { target, outcome: 'failed', detail }
  if (plan.action === 'skip') return { target, outcome: 'already-revoked', detail }
  return detail ? { target, outcome: 'planned', detail } : { target, outcome: 'planned' }
}

export function jobResult(plan: JobPlan, outcome: Outcome, detail?: string): JobResult {
  const state = plan.state.kind === 'found' ? plan.state : undefined
  const result: JobResult = { jobId: plan.target.jobId, source: plan.target.source, outcome }
  if (state?.profileName) result.profileName = state.profileName
  if (state?.profileVersion) result.profileVersion = state.profileVersion
  if (state?.createdAt) result.createdAt = state.createdAt
  if (detail) result.detail = detail
  return result
}

/** The plan as log lines: every target, what will be done with it, and why. */
export function planLines(
  jobs: readonly JobPlan[],
  profile: ProfilePlan | undefined,
  search: SearchReport | undefined,
  dryRun: boolean
): string[] {
  const lines: string[] = []
  const verb = dryRun ? 'would revoke' : 'revoke'
  if (search) lines.push(searchLine(search))
  if (profile) {
    const { target } = profile
    const name = `profile ${target.profileName} version ${target.profileVersion}`
    if (profile.action === 'revoke') {
      const again = profile.detail ? ` (${profile.detail})` : ''
      lines.push(`${verb} ${name} effective ${iso(target.effectiveTime)}${again}: ${profileMeaning(target)}`)
    } else {
      lines.push(`${profile.action === 'skip' ? 'skip' : 'cannot revoke'} ${name}: ${profile.detail}`)
    }
  }
  const counts = { revoke: 0, skip: 0, fail: 0 }
  for (const job of jobs) {
    counts[job.action]++
    const origin =
      job.target.source === 'search'
        ? ' (found by the search)'
        : job.target.source === 'provenance'
          ? ' (its provenance record matches)'
          : ''
    if (job.action === 'revoke') {
      const owner = job.jobOwner ? ` owned by ${job.jobOwner}` : ''
      lines.push(`${verb} signing job ${job.target.jobId}${owner}${origin}`)
    } else if (job.action === 'skip') {
      lines.push(`skip signing job ${job.target.jobId}${origin}: ${job.detail}`)
    } else {
      lines.push(`cannot revoke signing job ${job.target.jobId}${origin}: ${job.detail}`)
    }
  }
  lines.push(
    `${jobs.length} signing job(s): ${counts.revoke} to revoke, ${counts.skip} already revoked, ` +
      `${counts.fail} that cannot be revoked`
  )
  return lines
}

export function searchLine(search: SearchReport): string {
  const version = search.profileVersion ? ` version ${search.profileVersion}` : ''
  const window = `[${search.signedAfter ? iso(search.signedAfter) : 'the beginning'}, ${
    search.signedBefore ? iso(search.signedBefore) : 'now'
  })`
  const found =
    search.error === undefined
      ? `${search.matched} job(s) found among ${search.listed} listed in ${search.pages} page(s)`
      : `the search failed: ${search.error}`
  const unlisted = search.listedSince
    ? `; jobs created before ${iso(search.listedSince)} are no longer listed by ListSigningJobs and cannot be found`
    : ''
  return `jobs of profile ${search.profileName}${version} created in ${window}: ${found}${unlisted}`
}

/** The search cannot reach jobs older than ListSigningJobs shows; say how to revoke them anyway. */
export function unlistedWarning(profileName: string, horizon: Date): string {
  return (
    `The time window reaches back before ${iso(horizon)}: ListSigningJobs shows signing jobs for two years ` +
    `only, so older jobs of profile ${profileName} cannot be found by this search, although their signatures ` +
    'can still be trusted. Revoke them by job-id (their ids still work), or revoke the profile version with ' +
    'an effective-time before them.'
  )
}
