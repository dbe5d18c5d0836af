/** The profile a job signed with: the one asked for, and the version and platform Signer used. */
export interface JobProfile {
  profileName: string
  profileOwner: string | null
  profileVersion: string | null
  profileVersionArn: string | null
  platformId: string | null
}

/**
 * The provenance of one signing job: what was signed, from which commit, into which signature. The same
 * job comes back to every run of the same commit (the clientRequestToken leaves run ids out), so this part
 * is the same whichever run writes it: the manifest holds it as is.
 */
export interface JobProvenance extends JobProfile {
  repository: string
  commit: string
  /** Workspace-relative paths of the artifacts this job signed (two paths when two files share name and bytes). */
  artifactPaths: string[]
  /** SHA-256 of the unsigned file. */
  sha256: string
  /** SHA-256 of the signed file as downloaded; null when this run did not download it. */
  signedSha256: string | null
  jobId: string
  jobOwner: string | null
  /** The job's status when the record was written: Succeeded, Failed or InProgress (wait: false). */
  status: string
  /** When Signer created the job: the job's time, the same for every run that finds it. */
  jobCreatedAt: string | null
  /** null when the job's platform sets no expiry (IoT, FreeRTOS). */
  signatureExpiresAt: string | null
  source: { bucket: string; key: string; versionId: string }
  signed: { bucket: string; key: string } | null
  /** The version of the signed object Signer wrote; null before the job succeeded, absent in older records. */
  signedVersionId?: string | null
}

/** The run that wrote a record: differs between runs (and attempts) that find the same job. */
export interface RunProvenance {
  ref: string
  workflow: string
  runId: string
  runAttempt: string
  actor: string
}

/** What is stored in S3 for a job: its provenance and the run that wrote it. */
export interface StoredRecord extends JobProvenance {
  schemaVersion: 1
  run: RunProvenance
}

/**
 * The facts of a job that every run finding it agrees on: what was asked of Signer (source, profile) and
 * what Signer said about the job right after it started. A field unknown when the record was written
 * (DescribeSigningJob failed, or the run was cancelled before it answered) is null.
 */
export interface JobFacts extends JobProfile {
  repository: string
  commit: string
  /** SHA-256 of the unsigned file ('' for a source-object whose S3 checksum is unknown). */
  sha256: string
  jobId: string
  jobOwner: string | null
  /** Who started the job, as Signer says (an IAM ARN; for an assumed role, ending in the session name). */
  requestedBy: string | null
  jobCreatedAt: string | null
  source: { bucket: string; key: string; versionId: string }
}

/** The run that wrote a start record, with what only that run knows. */
export interface StartRun extends RunProvenance {
  /** The artifacts of this run that the job signs. */
  artifactPaths: string[]
  /** True when this run started the job; false when it found a job an earlier run started; null when unknown. */
  startedJob: boolean | null
  /**
   * The role session the run signed as, when it names the run (a session name holding the run id, as
   * `sign-<run id>-<attempt>`): revoke then checks that Signer's requestedBy ends in it.
   */
  roleSessionName: string | null
}

/** Written right after StartSigningJob, under every index key; never overwritten. */
export interface StartRecord extends JobFacts {
  schemaVersion: 2
  kind: 'start'
  run: StartRun
}

/** What the finish adds, in its own object: the signed object and its hash. Never overwritten. */
export interface FinishRecord {
  schemaVersion: 2
  kind: 'finish'
  jobId: string
  status: string
  signatureExpiresAt: string | null
  signed: { bucket: string; key: string; versionId: string | null } | null
  /** SHA-256 of the signed file as downloaded; null when the run that wrote this did not download it. */
  signedSha256: string | null
  run: RunProvenance
}

/** A record revoke reads under an index: the earlier layout (one record a job and run) or a start record. */
export type IndexRecord = StoredRecord | StartRecord
