import { PermissionsRequest } from '../permissions/types'
import { ProvenanceFilters } from '../provenance/layout'

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
  /** if-no-files-found: what a path line that matches no file does. */
  ifNoFilesFound: NoFilesFound
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

export const NO_FILES_FOUND = ['error', 'warn', 'ignore'] as const
export type NoFilesFound = (typeof NO_FILES_FOUND)[number]

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
  /** require-approval: true. approvedJobIds is then always set, except in a dry run. */
  requireApproval?: boolean
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

/** Matrix releases: the shards' manifests become the release's one manifest, checksums and assets. */
export interface MergeConfig extends CommonConfig {
  mode: 'merge'
  workspace: string
  /** Glob lines naming the shards' manifest.json files, relative to the workspace. */
  patterns: string[]
  /** Absolute: the merged manifest.json and the signed files gathered from the shards go here. */
  outputDir: string
  release?: { tag: string; token: string }
}

/** A signing profile ARN named in trusted-profile: without a version it trusts every version of the profile. */
export interface TrustedProfile {
  arn: string
  /** The profile's ARN without a version: arn:PARTITION:signer:REGION:ACCOUNT:/signing-profiles/NAME. */
  profileArn: string
  profileVersion?: string
}

export interface VerifyConfig extends CommonConfig {
  mode: 'verify'
  workspace: string
  /** Undefined: no trusted-profile given, every profile is trusted (and the summary says so). */
  trustedProfiles?: TrustedProfile[]
  /** Absolute, inside the workspace: the manifest.json of a sign run. */
  manifestPath?: string
  jobIds: string[]
  /** lambda-function: names (with an optional qualifier) or every function of the Region ('*'). */
  functions?: { kind: 'all' } | { kind: 'named'; names: string[] }
}

export type ActionConfig = SignConfig | RevokeConfig | PermissionsConfig | MergeConfig | VerifyConfig
