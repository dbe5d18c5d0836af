/** The data verify mode passes from one step to the next: targets → evidence → checks → verdicts. */
import type { DescribedJob } from '../signer/describe-job'

/** Where a job to verify came from. */
export type JobSource = 'manifest' | 'job-id' | 'lambda'

/** What a sign run's manifest says about one job: compared with Signer, never trusted alone. */
export interface ManifestJob {
  jobId: string
  jobOwner: string | null
  profileName: string
  profileVersion: string | null
  signedSha256: string | null
  signed: { bucket: string; key: string } | null
  /** The signed files where the sign run wrote them: workspace-relative, resolved by the manifest reader. */
  signedFiles: { relativePath: string; absolutePath: string }[]
}

export interface JobTarget {
  jobId: string
  sources: JobSource[]
  manifest?: ManifestJob
}

/** What DescribeSigningJob said about a job, or why it could not say. */
export type JobRead = DescribedJob

/** What GetSigningProfile said about the job's profile (it describes the current version only). */
export type ProfileRead =
  | {
      kind: 'found'
      profileVersion?: string
      status?: string
      revocation?: { effectiveFrom?: Date; revokedAt?: Date; revokedBy?: string }
    }
  | { kind: 'error'; error: string }

/** GetRevocationStatus, asked only where the reads above cannot answer; undefined when not asked. */
export type RevocationStatusRead =
  { kind: 'found'; revokedEntities: string[] } | { kind: 'error'; error: string }

/** A signed file the manifest names, as found in the workspace. */
export type FileRead =
  | { relativePath: string; kind: 'hashed'; sha256: string }
  | { relativePath: string; kind: 'missing' }
  | { relativePath: string; kind: 'error'; error: string }

/** Everything gathered about one job, once, before any check runs. */
export interface JobEvidence {
  target: JobTarget
  job: JobRead
  /** Built from the job's owner, profile and version (DescribeSigningJob names no ARN). */
  profileVersionArn?: string
  jobArn?: string
  /** The time the checks take as the signing time: when the job completed (else created). */
  signedAt?: Date
  profile?: ProfileRead
  revocationStatus?: RevocationStatusRead
  files: FileRead[]
}

export type CheckName =
  | 'trusted-profile'
  | 'status'
  | 'job-revocation'
  | 'profile-revocation'
  | 'expiry'
  | 'manifest'
  | 'signed-file'

export interface CheckResult {
  check: CheckName
  ok: boolean
  /** Said for a pass too: "signed by ... matching trusted ...", "not revoked". */
  reason: string
}

export type Verdict = 'valid' | 'invalid'

export interface JobVerdict {
  jobId: string
  verdict: Verdict
  sources: JobSource[]
  profileVersionArn?: string
  signedAt?: Date
  checks: CheckResult[]
}

/** A function as Lambda describes it, or why it could not. */
export type FunctionRead =
  | { name: string; kind: 'found'; signingJobArn?: string; signingProfileVersionArn?: string }
  | { name: string; kind: 'error'; error: string }

export type FunctionVerdictName = Verdict | 'unsigned'

export interface FunctionVerdict {
  name: string
  jobId?: string
  profileVersionArn?: string
  verdict: FunctionVerdictName
  reasons: string[]
}

export interface VerifyRecord {
  /** Undefined when trusted-profile was not given: every profile was trusted. */
  trustedProfiles?: string[]
  now: Date
  jobs: JobVerdict[]
  functions: FunctionVerdict[]
  /** Whether the functions were every function of the Region ('*') or named. */
  functionScope?: 'all' | 'named'
  manifestPath?: string
}
