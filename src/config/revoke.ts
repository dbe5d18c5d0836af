import { InputError } from '../errors'
import { InputReader, accountIdInput, booleanInput, listInput, optionalString, timeInput } from '../inputs'
import { ProvenanceFilters, REPOSITORY, recordsPrefix } from '../provenance/layout'
import {
  DEFAULT_DESTINATION_PREFIX,
  bucketInput,
  checkedJobIds,
  jobIdsInput,
  prefixInput,
  profileNameInput,
  profileVersionInput,
  reasonInput
} from './shared'
import { CommonConfig, ProvenanceSearch, RevokeConfig } from './types'

export function buildRevokeConfig(read: InputReader, now: Date): Omit<RevokeConfig, keyof CommonConfig> {
  const reason = reasonInput(read, true) as string

  const jobIds = jobIdsInput(read)

  const profileNameRaw = optionalString(read, 'profile-name')
  const profileVersion = profileVersionInput(read)
  const effectiveTimeInput = timeInput(read, 'effective-time')
  // AWS: "Revocation for a signing profile requires an effective start time in the past." No tolerance for
  // clock skew: a time AWS might refuse would pass the dry run and fail the approved run.
  if (effectiveTimeInput && effectiveTimeInput.getTime() > now.getTime()) {
    throw new InputError(
      'effective-time',
      `must not be in the future: AWS Signer revokes a profile version only from a time in the past ` +
        `(got ${effectiveTimeInput.toISOString()}, now is ${now.toISOString()})`
    )
  }
  const signedAfter = timeInput(read, 'signed-after')
  const signedBefore = timeInput(read, 'signed-before')
  if (signedAfter && signedBefore && signedAfter.getTime() >= signedBefore.getTime()) {
    throw new InputError('signed-before', `must be later than signed-after (${signedAfter.toISOString()})`)
  }
  const hasWindow = signedAfter !== undefined || signedBefore !== undefined
  const provenanceInput = provenanceFilterInputs(read)

  if (provenanceInput && profileNameRaw === undefined) {
    throw new InputError('profile-name', `is required with ${provenanceInput.names}`)
  }
  if ((profileVersion || hasWindow || effectiveTimeInput) && profileNameRaw === undefined) {
    const needing = profileVersion
      ? 'profile-version'
      : hasWindow
        ? 'signed-after/signed-before'
        : 'effective-time'
    throw new InputError('profile-name', `is required with ${needing}`)
  }
  const profileName = profileNameRaw === undefined ? undefined : profileNameInput(read, '')
  if (effectiveTimeInput && !profileVersion) {
    throw new InputError(
      'profile-version',
      'is required with effective-time: it names the profile version to revoke'
    )
  }

  // With a window or provenance filters, profile-version narrows the job search; the profile itself is
  // revoked only when there is neither or an effective-time says so explicitly.
  const narrows = hasWindow || provenanceInput !== undefined
  const revokeProfile = profileVersion !== undefined && (!narrows || effectiveTimeInput !== undefined)
  const profileRevocation =
    revokeProfile && profileName && profileVersion
      ? { profileName, profileVersion, effectiveTime: effectiveTimeInput ?? now }
      : undefined
  const jobSearch =
    hasWindow && profileName ? { profileName, profileVersion, signedAfter, signedBefore } : undefined

  const provenance =
    provenanceInput && profileName ? { profileName, profileVersion, ...provenanceInput.search } : undefined

  if (profileName && !profileRevocation && !jobSearch && !provenance) {
    throw new InputError(
      'profile-version',
      'or signed-after/signed-before is required with profile-name in revoke mode (or commit, run-id or repository, to find its jobs by their provenance records)'
    )
  }
  if (jobIds.length === 0 && !profileRevocation && !jobSearch && !provenance) {
    throw new InputError(
      'job-ids',
      'nothing to revoke: give job-ids, or profile-name with profile-version, signed-after/signed-before or commit/run-id/repository'
    )
  }

  const dryRun = booleanInput(read, 'dry-run', false)
  const { approvedJobIds, requireApproval } = approvalInputs(read, dryRun)
  return {
    mode: 'revoke',
    reason,
    jobIds,
    jobOwner: accountIdInput(read, 'job-owner'),
    profileRevocation,
    jobSearch,
    provenance,
    approvedJobIds,
    requireApproval,
    dryRun
  }
}

/**
 * approved-job-ids, and whether one must be given. An expression naming a renamed or removed step
 * (`needs.plan.outputs.planned-job-ids`) expands to '', which reads as "no approval": with
 * require-approval: true that is refused instead of revoking ungated. '[]' still approves revoking no job.
 * A dry run revokes nothing, so it needs no approval.
 */
function approvalInputs(
  read: InputReader,
  dryRun: boolean
): { approvedJobIds?: string[]; requireApproval: boolean } {
  const requireApproval = booleanInput(read, 'require-approval', false)
  const approvedJobIds = approvedJobIdsInput(read)
  if (requireApproval && !dryRun && approvedJobIds === undefined) {
    throw new InputError(
      'approved-job-ids',
      "is empty, and require-approval is true: this run revokes only a plan someone approved. Pass the dry run's " +
        "planned-job-ids output (an expression naming a renamed step gives ''), '[]' to approve revoking no job, " +
        'or set require-approval: false'
    )
  }
  return { approvedJobIds, requireApproval }
}

const COMMIT_PREFIX = /^[0-9a-f]{7,40}$/

/**
 * commit, run-id and repository, and where their records are. Undefined when no filter is given; then
 * records-bucket and records-prefix are not needed and not checked.
 */
function provenanceFilterInputs(
  read: InputReader
): { names: string; search: Omit<ProvenanceSearch, 'profileName' | 'profileVersion'> } | undefined {
  const commitRaw = optionalString(read, 'commit')
  const commit = commitRaw?.toLowerCase()
  if (commit !== undefined && !COMMIT_PREFIX.test(commit)) {
    throw new InputError(
      'commit',
      `expected a commit SHA or a prefix of at least 7 hex digits, got '${commitRaw}'`
    )
  }
  const runId = optionalString(read, 'run-id')
  if (runId !== undefined && !/^\d{1,20}$/.test(runId)) {
    throw new InputError('run-id', `expected a workflow run id (digits, as in GITHUB_RUN_ID), got '${runId}'`)
  }
  const repository = optionalString(read, 'repository')
  if (repository !== undefined && !REPOSITORY.test(repository)) {
    throw new InputError('repository', `expected owner/name, got '${repository}'`)
  }
  const filters: ProvenanceFilters = {}
  if (repository !== undefined) filters.repository = repository
  if (commit !== undefined) filters.commit = commit
  if (runId !== undefined) filters.runId = runId
  const names = Object.keys(filters)
    .map(name => (name === 'runId' ? 'run-id' : name))
    .join(', ')
  if (names === '') return undefined
  const recordsBucket = bucketInput(
    read,
    'records-bucket',
    undefined,
    `with ${names}: the bucket sign mode wrote the provenance records to (its destination-bucket)`
  )
  return {
    names,
    search: {
      filters,
      recordsBucket,
      recordsPrefix: recordsPrefixInput(read)
    }
  }
}

/** Sign mode writes records under destination-prefix + 'provenance/': a prefix without the '/' finds none. */
function recordsPrefixInput(read: InputReader): string {
  const prefix = prefixInput(read, 'records-prefix', recordsPrefix(DEFAULT_DESTINATION_PREFIX))
  if (!prefix.endsWith('/')) {
    throw new InputError(
      'records-prefix',
      `must end with '/' (destination-prefix of sign mode followed by provenance/), got '${prefix}'`
    )
  }
  return prefix
}

/** A JSON array of job ids (the planned-job-ids output as printed), or ids separated by commas or newlines. */
function approvedJobIdsInput(read: InputReader): string[] | undefined {
  const raw = optionalString(read, 'approved-job-ids')
  if (raw === undefined) return undefined
  let ids: string[]
  if (raw.startsWith('[')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(raw)
    } catch {
      throw new InputError('approved-job-ids', 'starts with [ but is not a JSON array')
    }
    if (!Array.isArray(parsed) || !parsed.every(id => typeof id === 'string')) {
      throw new InputError('approved-job-ids', 'expected a JSON array of job id strings')
    }
    ids = [...new Set(parsed.map(id => id.trim()))]
  } else {
    ids = listInput(read, 'approved-job-ids')
  }
  return checkedJobIds('approved-job-ids', ids)
}
