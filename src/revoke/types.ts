/** The data revoke mode passes from one step to the next: targets → state → plan → results. */

/**
 * Where a job came from: the job-id input, the search of a profile's jobs in a time window, or the
 * provenance records matching commit / run-id / repository.
 */
export type TargetSource = 'job-id' | 'search' | 'provenance'

export interface JobTarget {
  jobId: string
  source: TargetSource
  /** job-owner for jobs of the job-id input; the listed owner for jobs found by the search. */
  jobOwner?: string
  /** For a job found by the search: its state as ListSigningJobs gave it, so it needs no DescribeSigningJob. */
  listed?: JobState
}

export interface RevocationRecord {
  reason?: string
  revokedAt?: Date
  revokedBy?: string
}

/** What DescribeSigningJob said about a job, or why it could not say. */
export type JobState =
  | {
      kind: 'found'
      jobOwner?: string
      status?: string
      profileName?: string
      profileVersion?: string
      createdAt?: Date
      /** RevokeSignature works only on a platform with revocationSupported. */
      platformId?: string
      /** Set when the job's signature is already revoked. */
      revocation?: RevocationRecord
    }
  | { kind: 'error'; error: string }

export type JobAction = 'revoke' | 'skip' | 'fail'

export interface JobPlan {
  target: JobTarget
  state: JobState
  action: JobAction
  /** The jobOwner RevokeSignature is sent with, when one is known. */
  jobOwner?: string
  /** Why the job is skipped or cannot be revoked. */
  detail?: string
  /** A job planned for revocation whose revocability could not be checked: the revoke call decides. */
  warning?: string
}

export interface ProfileTarget {
  profileName: string
  profileVersion: string
  effectiveTime: Date
}

/** What GetSigningProfile said about the profile, or why it could not say. */
export type ProfileState =
  | {
      kind: 'found'
      status?: string
      profileVersion?: string
      platformId?: string
      revocationEffectiveFrom?: Date
    }
  | { kind: 'error'; error: string }

/** What GetSigningPlatform said about a platform, or why it could not say. */
export type PlatformState =
  | {
      kind: 'found'
      platformId: string
      displayName?: string
      /** Only an explicit false stops a revocation: a platform that does not say lets the API decide. */
      revocationSupported?: boolean
    }
  | { kind: 'error'; platformId: string; error: string }

export interface ProfilePlan {
  target: ProfileTarget
  state: ProfileState
  action: JobAction
  detail?: string
  /** A revocation planned although the profile's platform could not be read: the revoke call decides. */
  warning?: string
}

/** The outcome of one target: the row of the incident record. */
export type Outcome = 'revoked' | 'already-revoked' | 'failed' | 'planned'

export interface JobResult {
  jobId: string
  source: TargetSource
  outcome: Outcome
  profileName?: string
  profileVersion?: string
  createdAt?: Date
  /** Why it failed, or who revoked it before and when. */
  detail?: string
}

export interface ProfileResult {
  target: ProfileTarget
  outcome: Outcome
  detail?: string
}

/** How the search of a profile's jobs went. */
export interface SearchReport {
  profileName: string
  profileVersion?: string
  signedAfter?: Date
  signedBefore?: Date
  /** The ListSigningJobs platformId filter, when the profile's platform was known before the search. */
  platformId?: string
  /**
   * Set when the window reaches further back than ListSigningJobs shows jobs (two years): jobs created
   * before this instant cannot be found by the search.
   */
  listedSince?: Date
  pages: number
  /** Jobs of every profile listed, before filtering. */
  listed: number
  /** Jobs that matched the profile and the window. */
  matched: number
  /** Set when ListSigningJobs failed: the search found nothing it can vouch for. */
  error?: string
}

/** A record that something more trustworthy contradicts: its job is never revoked, and the step fails. */
export interface Contradiction {
  jobId: string
  /** AWS Signer; the job's own record (jobs/<id>.json), for an index record; or the key it was found under. */
  against: 'AWS Signer' | 'its own record' | 'its key'
  /** What disagrees, by field name (never the record's values: they are someone else's text). */
  fields: string[]
}

/** How the provenance filters resolved. */
export interface ProvenanceReport {
  filters: { repository?: string; commit?: string; runId?: string }
  /** s3://bucket/prefix listed. */
  location: string
  pages: number
  /** Distinct jobs with a record under the listed prefix. */
  records: number
  /** Jobs whose records match every filter, agree with Signer (and, with a window, that the search found). */
  matched: number
  /** Jobs the window search found whose records do not match the filters. */
  excluded: string[]
  /** Jobs the window search found without a record, and jobs whose record could not be read: not revoked. */
  unresolved: string[]
  /** Records contradicted by Signer, by the job's own record or by their key: not revoked; the step fails. */
  contradicted: Contradiction[]
  /** Jobs of matching records that Signer says Failed: they signed nothing. */
  signedNothing: string[]
  /** Why a record could not be read (S3's answer), for the jobs it leaves unresolved. */
  unreadable: { jobId: string; reason: string }[]
  error?: string
}

/** Everything a run did, for the outputs, the summary and the final verdict. */
export interface RevokeRecord {
  reason: string
  dryRun: boolean
  actor: string
  /** ISO-8601, when the run started. */
  startedAt: string
  repository: string
  runUrl?: string
  jobs: JobResult[]
  profile?: ProfileResult
  search?: SearchReport
  provenance?: ProvenanceReport
}
