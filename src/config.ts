import * as path from 'node:path'
import { InputError } from './errors'
import { relativeInside } from './paths'
import { STATEMENT_ID, derivedStatementId } from './permissions/plan'
import { PERMISSION_ACTIONS, PermissionAction, PermissionsRequest } from './permissions/types'
import { releaseTag } from './release/plan'
import { ProvenanceFilters, REPOSITORY, recordsPrefix } from './provenance/layout'
import {
  InputReader,
  accountIdInput,
  booleanInput,
  integerInput,
  listInput,
  nonEmptyListInput,
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
  /** Empty when sourceObject is set: exactly one of the two names what to sign. */
  patterns: string[]
  /** source-object: an object already in S3, signed in place (no file, no upload). */
  sourceObject?: ObjectRef
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
  /**
   * release-upload: true. The signed files become assets of the GitHub release of `tag` (from GITHUB_REF),
   * through the API with `token` (github-token; masked in the log by main before anything runs).
   */
  release?: { tag: string; token: string }
}

/** An S3 object named by an s3:// URI; without versionId, the current version is read and pinned. */
export interface ObjectRef {
  bucket: string
  key: string
  versionId?: string
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

export interface PermissionsConfig extends CommonConfig {
  mode: 'permissions'
  profileName: string
  request: PermissionsRequest
  dryRun: boolean
  /** Why, for the record in the job summary; optional in this mode. */
  reason?: string
}

export type ActionConfig = SignConfig | RevokeConfig | PermissionsConfig

export const PROFILE_NAME = /^[a-zA-Z0-9_]{2,64}$/
export const PROFILE_VERSION = /^[a-zA-Z0-9]{10}$/
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/
const JOB_ID = /^[a-zA-Z0-9-]{1,64}$/
export const REASON_MAX_LENGTH = 500
/** Where sign mode puts the signed objects by default; its provenance records go under it. */
const DEFAULT_DESTINATION_PREFIX = 'signed/'

/** Turns the action's inputs into a typed config, or throws an InputError naming the first bad input. */
export function buildConfig(read: InputReader, env: NodeJS.ProcessEnv, now: Date = new Date()): ActionConfig {
  const mode = (optionalString(read, 'mode') ?? 'sign').toLowerCase()
  const common: CommonConfig = {
    region: optionalString(read, 'aws-region'),
    showSummary: booleanInput(read, 'show-summary', true)
  }
  if (mode === 'sign') return { ...common, ...buildSignConfig(read, env) }
  if (mode === 'revoke') return { ...common, ...buildRevokeConfig(read, now) }
  if (mode === 'permissions') return { ...common, ...buildPermissionsConfig(read) }
  throw new InputError('mode', `expected 'sign', 'revoke' or 'permissions', got '${read('mode').trim()}'`)
}

function reasonInput(read: InputReader, required: boolean): string | undefined {
  const reason = required
    ? requiredString(read, 'reason', 'in revoke mode: say why the signatures are revoked')
    : optionalString(read, 'reason')
  if (reason !== undefined && reason.length > REASON_MAX_LENGTH) {
    throw new InputError('reason', `must be 1-${REASON_MAX_LENGTH} characters, got ${reason.length}`)
  }
  return reason
}

function profileVersionInput(read: InputReader): string | undefined {
  const profileVersion = optionalString(read, 'profile-version')
  if (profileVersion !== undefined && !PROFILE_VERSION.test(profileVersion)) {
    throw new InputError('profile-version', `expected 10 letters or digits, got '${profileVersion}'`)
  }
  return profileVersion
}

function profileNameInput(read: InputReader, why: string): string {
  const name = requiredString(read, 'profile-name', why)
  if (!PROFILE_NAME.test(name)) {
    throw new InputError('profile-name', `expected 2-64 letters, digits or underscores, got '${name}'`)
  }
  return name
}

function bucketInput(read: InputReader, name: string, fallback?: string, why = 'in sign mode'): string {
  const bucket = optionalString(read, name) ?? fallback
  if (bucket === undefined) throw new InputError(name, `is required ${why}`)
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

const SOURCE_OBJECT_FORMAT = 's3://bucket/key or s3://bucket/key?versionId=VERSION'

/**
 * source-object, taken literally as the AWS CLI writes S3 URIs (the key is not percent-decoded). Only a
 * trailing `?versionId=` is special. The key must name a file: its last segment is the signed copy's name
 * in output-dir, so a "folder" key or a '.'/'..' segment is refused.
 */
export function parseSourceObject(uri: string): ObjectRef {
  const bad = (why: string): InputError =>
    new InputError('source-object', `expected ${SOURCE_OBJECT_FORMAT}, got '${uri}': ${why}`)
  const match = /^s3:\/\/([^/?]+)\/(.+)$/.exec(uri)
  if (!match) throw bad('not an s3:// URI with a bucket and a key')
  const [, bucket, rest] = match
  if (!BUCKET_NAME.test(bucket)) throw bad(`'${bucket}' is not an S3 bucket name`)
  const at = rest.lastIndexOf('?versionId=')
  const key = at === -1 ? rest : rest.slice(0, at)
  const versionId = at === -1 ? undefined : rest.slice(at + '?versionId='.length)
  const name = key.split('/').pop() ?? ''
  if (key === '' || name === '' || name === '.' || name === '..') {
    throw bad('the key must end with a file name')
  }
  if (versionId !== undefined && !/^[\x21-\x7e]{1,1024}$/.test(versionId)) {
    throw bad('the versionId must be 1-1024 printable characters without spaces')
  }
  if (versionId === 'null') {
    throw bad('versionId=null names an object stored without versioning; Signer signs an exact version')
  }
  return versionId === undefined ? { bucket, key } : { bucket, key, versionId }
}

/** path or source-object: exactly one says what to sign. */
function signTargetInput(read: InputReader): { patterns: string[]; sourceObject?: ObjectRef } {
  const patterns = listInput(read, 'path', /\n/)
  const uri = optionalString(read, 'source-object')
  if (patterns.length > 0 && uri !== undefined) {
    throw new InputError(
      'source-object',
      "and 'path' were both given: give path to upload and sign files, or source-object to sign an object already in S3, not both"
    )
  }
  if (uri !== undefined) return { patterns, sourceObject: parseSourceObject(uri) }
  if (patterns.length === 0) {
    throw new InputError(
      'path',
      "or 'source-object' is required in sign mode: path is one file or glob pattern per line, relative to the " +
        'workspace; source-object is s3://bucket/key[?versionId=...]'
    )
  }
  return { patterns }
}

/** With source-object the source bucket is the URI's; a different source-bucket would be silently ignored. */
function sourceBucketInput(read: InputReader, sourceObject: ObjectRef | undefined): string {
  if (!sourceObject) return bucketInput(read, 'source-bucket')
  const given = optionalString(read, 'source-bucket')
  if (given !== undefined && given !== sourceObject.bucket) {
    throw new InputError(
      'source-bucket',
      `is '${given}' but source-object is in bucket '${sourceObject.bucket}': leave source-bucket out (it is where path uploads go)`
    )
  }
  return sourceObject.bucket
}

/**
 * release-upload needs a token, signed files on disk, and a tag to find the release by. A run not on a tag
 * is refused here, before any AWS call: release-upload: true asks for something this run cannot do, and
 * failing now costs no signing job (a warning after signing would be easy to miss, and a release would
 * ship without its signed files).
 */
function releaseInput(
  read: InputReader,
  env: NodeJS.ProcessEnv,
  download: boolean
): Pick<SignConfig, 'release'> {
  if (!booleanInput(read, 'release-upload', false)) return {}
  const token = optionalString(read, 'github-token')
  if (token === undefined) {
    throw new InputError(
      'github-token',
      'is required with release-upload: true (github-token: ${{ github.token }}, with permissions: contents: write)'
    )
  }
  if (!download) {
    throw new InputError(
      'release-upload',
      'needs download: true and wait: true: the release assets are the downloaded signed files'
    )
  }
  const tag = releaseTag(env.GITHUB_REF ?? '')
  if (tag === undefined) {
    throw new InputError(
      'release-upload',
      `needs a run on a tag (GITHUB_REF refs/tags/...), and this run is on '${env.GITHUB_REF ?? ''}': ` +
        "nothing was signed. Run it on a tag (on: push: tags, or on: release), or set release-upload: ${{ startsWith(github.ref, 'refs/tags/') }}"
    )
  }
  return { release: { tag, token } }
}

function buildSignConfig(read: InputReader, env: NodeJS.ProcessEnv): Omit<SignConfig, keyof CommonConfig> {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd())
  const { patterns, sourceObject } = signTargetInput(read)
  const sourceBucket = sourceBucketInput(read, sourceObject)
  const wait = booleanInput(read, 'wait', true)
  const download = booleanInput(read, 'download', true) && wait
  return {
    mode: 'sign',
    workspace,
    patterns,
    sourceObject,
    profileName: profileNameInput(read, 'in sign mode'),
    profileOwner: accountIdInput(read, 'profile-owner'),
    sourceBucket,
    sourcePrefix: prefixInput(read, 'source-prefix', 'unsigned/'),
    destinationBucket: bucketInput(read, 'destination-bucket', sourceBucket),
    destinationPrefix: prefixInput(read, 'destination-prefix', DEFAULT_DESTINATION_PREFIX),
    outputDir: outputDirInput(read, workspace),
    timeoutSeconds: integerInput(read, 'timeout-seconds', 600, 1, 6 * 3600),
    wait,
    download,
    maxConcurrency: integerInput(read, 'max-concurrency', 4, 1, 64),
    expectedBucketOwner: accountIdInput(read, 'expected-bucket-owner'),
    ...releaseInput(read, env, download)
  }
}

function buildRevokeConfig(read: InputReader, now: Date): Omit<RevokeConfig, keyof CommonConfig> {
  const reason = reasonInput(read, true) as string

  const jobIds = checkedJobIds('job-id', nonEmptyListInput(read, 'job-id', 'job id'))

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

/** A 12-digit account id, or the ARN of an IAM principal: an account root, a role or a user (any path). */
const PRINCIPAL =
  /^(\d{12}|arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::\d{12}:(root|(role|user)\/([\w+=,.@-]+\/)*[\w+=,.@-]+))$/

function principalInput(read: InputReader): string | undefined {
  const principal = optionalString(read, 'principal')
  if (principal !== undefined && !PRINCIPAL.test(principal)) {
    throw new InputError(
      'principal',
      'expected a 12-digit AWS account ID or an IAM principal ARN ' +
        `(arn:aws:iam::111122223333:root, :role/NAME or :user/NAME), got '${principal}'`
    )
  }
  return principal
}

function permissionActionInput(read: InputReader): PermissionAction | undefined {
  const action = optionalString(read, 'permission-action')
  if (action === undefined) return undefined
  const known = PERMISSION_ACTIONS.find(a => a.toLowerCase() === action.toLowerCase())
  if (!known) {
    throw new InputError(
      'permission-action',
      `expected one of ${PERMISSION_ACTIONS.join(', ')}, got '${action}'`
    )
  }
  return known
}

const OPERATIONS = ['list', 'grant', 'remove'] as const

function buildPermissionsConfig(read: InputReader): Omit<PermissionsConfig, keyof CommonConfig> {
  const operationRaw = requiredString(
    read,
    'operation',
    `in permissions mode: one of ${OPERATIONS.join(', ')}`
  )
  const operation = OPERATIONS.find(o => o === operationRaw.toLowerCase())
  if (!operation) {
    throw new InputError('operation', `expected one of ${OPERATIONS.join(', ')}, got '${operationRaw}'`)
  }
  const profileName = profileNameInput(read, 'in permissions mode')
  const principal = principalInput(read)
  const action = permissionActionInput(read)
  const profileVersion = profileVersionInput(read)
  const statementIds = nonEmptyListInput(read, 'statement-id', 'statement id')
  const common = {
    mode: 'permissions' as const,
    profileName,
    dryRun: booleanInput(read, 'dry-run', false),
    reason: reasonInput(read, false)
  }
  if (operation === 'list') return { ...common, request: { operation } }
  if (operation === 'grant') {
    if (principal === undefined) {
      throw new InputError('principal', 'is required for grant: the account ID or IAM principal ARN to grant')
    }
    if (action === undefined) {
      throw new InputError(
        'permission-action',
        `is required for grant: one of ${PERMISSION_ACTIONS.join(', ')}`
      )
    }
    if (statementIds.length > 1) {
      throw new InputError(
        'statement-id',
        `grant adds one statement: give one id, got ${statementIds.length}`
      )
    }
    const content = { principal, action, ...(profileVersion ? { profileVersion } : {}) }
    const statementId = statementIds[0] ?? derivedStatementId(content)
    if (!STATEMENT_ID.test(statementId)) {
      throw new InputError('statement-id', `expected 1-100 letters, digits, '_' or '-', got '${statementId}'`)
    }
    return {
      ...common,
      request: { operation, statement: { statementId, ...content }, derivedId: statementIds.length === 0 }
    }
  }
  if (statementIds.length > 0) {
    const extra = principal
      ? 'principal'
      : action
        ? 'permission-action'
        : profileVersion
          ? 'profile-version'
          : ''
    if (extra) {
      throw new InputError(
        extra,
        'must be left out when remove names statement-id: give statement-id, or principal (with optional ' +
          'permission-action and profile-version) to remove every statement naming it'
      )
    }
    return { ...common, request: { operation, by: 'statement-id', statementIds } }
  }
  if (principal === undefined) {
    throw new InputError(
      'statement-id',
      'remove needs statement-id (the statements to remove) or principal (every statement naming it)'
    )
  }
  return {
    ...common,
    request: {
      operation,
      by: 'principal',
      principal,
      ...(action ? { action } : {}),
      ...(profileVersion ? { profileVersion } : {})
    }
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

/** The ids as given, once each is known to be a signing job id; else an error naming the input. */
function checkedJobIds(name: string, jobIds: string[]): string[] {
  for (const jobId of jobIds) {
    if (!JOB_ID.test(jobId)) {
      throw new InputError(name, `'${jobId}' is not a signing job id (letters, digits, hyphens)`)
    }
  }
  return jobIds
}
