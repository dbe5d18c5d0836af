import * as path from 'node:path'
import { InputError } from './errors'
import { relativeInside } from './paths'
import { ProvenanceFilters, REPOSITORY } from './provenance/layout'
import {
  InputReader,
  accountIdInput,
  booleanInput,
  integerInput,
  listInput,
  optionalString,
  requiredString,
  timeInput
} from './inputs'

export interface CommonConfig {
  /** From aws-region; undefined means the SDK's own AWS_REGION / AWS_DEFAULT_REGION. */
  region?: string
  showSummary: boolean
}

export interface SignConfig extends CommonConfig {
  mode: 'sign'
  workspace: string
  patterns: string[]
  profileName: string
  profileOwner?: string
  sourceBucket: string
  sourcePrefix: string
  destinationBucket: string
  destinationPrefix: string
  /** Absolute. */
  outputDir: string
  timeoutSeconds: number
  wait: boolean
  /** False whenever wait is false: there is nothing to download before the job finishes. */
  download: boolean
  maxConcurrency: number
  expectedBucketOwner?: string
}

export interface RevokeConfig extends CommonConfig {
  mode: 'revoke'
  reason: string
  jobIds: string[]
  jobOwner?: string
  /** Set when a profile version is to be revoked with RevokeSigningProfile. */
  profileRevocation?: { profileName: string; profileVersion: string; effectiveTime: Date }
  /** Set when the jobs of a profile created in a time window are to be found and revoked. */
  jobSearch?: { profileName: string; profileVersion?: string; signedAfter?: Date; signedBefore?: Date }
  /** Set when the jobs are the profile's jobs whose provenance records match every filter. */
  provenance?: ProvenanceSearch
  /** When set, the run's plan must revoke exactly these jobs (approved-job-ids). */
  approvedJobIds?: string[]
  dryRun: boolean
}

export interface ProvenanceSearch {
  profileName: string
  profileVersion?: string
  filters: ProvenanceFilters
  recordsBucket: string
  recordsPrefix: string
}

export type ActionConfig = SignConfig | RevokeConfig

export const PROFILE_NAME = /^[a-zA-Z0-9_]{2,64}$/
export const PROFILE_VERSION = /^[a-zA-Z0-9]{10}$/
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/
const JOB_ID = /^[a-zA-Z0-9-]{1,64}$/
export const REASON_MAX_LENGTH = 500

/** Turns the action's inputs into a typed config, or throws an InputError naming the first bad input. */
export function buildConfig(read: InputReader, env: NodeJS.ProcessEnv, now: Date = new Date()): ActionConfig {
  const mode = (optionalString(read, 'mode') ?? 'sign').toLowerCase()
  const common: CommonConfig = {
    region: optionalString(read, 'aws-region'),
    showSummary: booleanInput(read, 'show-summary', true)
  }
  if (mode === 'sign') return { ...common, ...buildSignConfig(read, env) }
  if (mode === 'revoke') return { ...common, ...buildRevokeConfig(read, now) }
  throw new InputError('mode', `expected 'sign' or 'revoke', got '${read('mode').trim()}'`)
}

function profileNameInput(read: InputReader, why: string): string {
  const name = requiredString(read, 'profile-name', why)
  if (!PROFILE_NAME.test(name)) {
    throw new InputError('profile-name', `expected 2-64 letters, digits or underscores, got '${name}'`)
  }
  return name
}

function bucketInput(read: InputReader, name: string, fallback?: string): string {
  const bucket = optionalString(read, name) ?? fallback
  if (bucket === undefined) throw new InputError(name, 'is required in sign mode')
  if (!BUCKET_NAME.test(bucket)) {
    throw new InputError(
      name,
      `expected an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens), got '${bucket}'`
    )
  }
  return bucket
}

/** A key prefix; empty takes the default, as the runner does. A leading '/' would make keys start with '/'. */
function prefixInput(read: InputReader, name: string, fallback: string): string {
  const prefix = optionalString(read, name) ?? fallback
  if (prefix.startsWith('/')) throw new InputError(name, `must not start with '/', got '${prefix}'`)
  return prefix
}

/** Signed copies keep the artifacts' relative paths: an output-dir holding the workspace would overwrite them. */
function outputDirInput(read: InputReader, workspace: string): string {
  const outputDir = path.resolve(workspace, optionalString(read, 'output-dir') ?? 'signed')
  if (outputDir === workspace || relativeInside(outputDir, workspace) !== undefined) {
    throw new InputError(
      'output-dir',
      `must not be the workspace or a directory above it (${outputDir}): the signed copies would overwrite the artifacts`
    )
  }
  return outputDir
}

function buildSignConfig(read: InputReader, env: NodeJS.ProcessEnv): Omit<SignConfig, keyof CommonConfig> {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd())
  const patterns = listInput(read, 'path', /\n/)
  if (patterns.length === 0) {
    throw new InputError(
      'path',
      'is required in sign mode: one file or glob pattern per line, relative to the workspace'
    )
  }
  const sourceBucket = bucketInput(read, 'source-bucket')
  const wait = booleanInput(read, 'wait', true)
  const download = booleanInput(read, 'download', true) && wait
  return {
    mode: 'sign',
    workspace,
    patterns,
    profileName: profileNameInput(read, 'in sign mode'),
    profileOwner: accountIdInput(read, 'profile-owner'),
    sourceBucket,
    sourcePrefix: prefixInput(read, 'source-prefix', 'unsigned/'),
    destinationBucket: bucketInput(read, 'destination-bucket', sourceBucket),
    destinationPrefix: prefixInput(read, 'destination-prefix', 'signed/'),
    outputDir: outputDirInput(read, workspace),
    timeoutSeconds: integerInput(read, 'timeout-seconds', 600, 1, 6 * 3600),
    wait,
    download,
    maxConcurrency: integerInput(read, 'max-concurrency', 4, 1, 64),
    expectedBucketOwner: accountIdInput(read, 'expected-bucket-owner')
  }
}

function buildRevokeConfig(read: InputReader, now: Date): Omit<RevokeConfig, keyof CommonConfig> {
  const reason = requiredString(read, 'reason', 'in revoke mode: say why the signatures are revoked')
  if (reason.length > REASON_MAX_LENGTH) {
    throw new InputError('reason', `must be 1-${REASON_MAX_LENGTH} characters, got ${reason.length}`)
  }

  const jobIdsRaw = read('job-id')
  const jobIds = listInput(read, 'job-id')
  if (jobIdsRaw.trim() !== '' && jobIds.length === 0) {
    throw new InputError('job-id', 'lists no job id once commas, newlines and blanks are removed')
  }
  for (const jobId of jobIds) {
    if (!JOB_ID.test(jobId))
      throw new InputError('job-id', `'${jobId}' is not a signing job id (letters, digits, hyphens)`)
  }

  const profileNameRaw = optionalString(read, 'profile-name')
  const profileVersion = optionalString(read, 'profile-version')
  if (profileVersion !== undefined && !PROFILE_VERSION.test(profileVersion)) {
    throw new InputError('profile-version', `expected 10 letters or digits, got '${profileVersion}'`)
  }
  const effectiveTimeInput = timeInput(read, 'effective-time')
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
      'job-id',
      'nothing to revoke: give job-id, or profile-name with profile-version, signed-after/signed-before or commit/run-id/repository'
    )
  }

  return {
    mode: 'revoke',
    reason,
    jobIds,
    jobOwner: accountIdInput(read, 'job-owner'),
    profileRevocation,
    jobSearch,
    provenance,
    approvedJobIds: approvedJobIdsInput(read),
    dryRun: booleanInput(read, 'dry-run', false)
  }
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
  const recordsBucket = optionalString(read, 'records-bucket')
  if (recordsBucket === undefined) {
    throw new InputError(
      'records-bucket',
      `is required with ${names}: the bucket sign mode wrote the provenance records to (its destination-bucket)`
    )
  }
  return {
    names,
    search: {
      filters,
      recordsBucket: bucketInput(read, 'records-bucket'),
      recordsPrefix: recordsPrefixInput(read)
    }
  }
}

/** Sign mode writes records under destination-prefix + 'provenance/': a prefix without the '/' finds none. */
function recordsPrefixInput(read: InputReader): string {
  const prefix = prefixInput(read, 'records-prefix', 'signed/provenance/')
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
  for (const jobId of ids) {
    if (!JOB_ID.test(jobId)) {
      throw new InputError(
        'approved-job-ids',
        `'${jobId}' is not a signing job id (letters, digits, hyphens)`
      )
    }
  }
  return ids
}
