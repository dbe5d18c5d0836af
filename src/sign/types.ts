/** One file to sign, as resolved and hashed from the workspace, or (source-object) an object already in S3. */
export interface Artifact {
  /** Absolute path; for source-object, the s3:// URI. */
  path: string
  /**
   * Relative to the workspace, with '/' separators: the name users see and the layout of output-dir.
   * For source-object, the s3://bucket/key URI (its signed copy goes to output-dir/<last key segment>).
   */
  relativePath: string
  size: number
  /**
   * Lowercase hex SHA-256 of the content. For source-object, S3's stored full-object SHA-256 checksum when the
   * object has one, else '' (unknown: the bytes are never read here).
   */
  sha256: string
  /** source-object only: the pinned version Signer reads; nothing is uploaded. */
  object?: SourceObject
}

/** The S3 object version Signer reads: either reused (already held these bytes) or just uploaded. */
export interface SourceObject {
  bucket: string
  key: string
  versionId: string
  reused: boolean
}

/** What Signer says about a job: from StartSigningJob, then DescribeSigningJob. */
export interface JobState {
  jobId: string
  jobOwner?: string
  /** Succeeded, Failed or InProgress. */
  status: string
  statusReason?: string
  createdAt?: Date
  signatureExpiresAt?: Date
  signedObject?: { bucket: string; key: string }
  /** The source object the job signs, as Signer recorded it: checked against what the run asked for. */
  sourceBucket?: string
  sourceKey?: string
  sourceVersion?: string
  profileName?: string
  /** When Signer finished the job: the signed object's version was written before it. */
  completedAt?: Date
  /** Who started the job (IAM ARN) and from which account: the watcher's ListSigningJobs filters. */
  requestedBy?: string
  jobInvoker?: string
  /** The profile version and platform the job signed with (DescribeSigningJob), for its provenance record. */
  profileVersion?: string
  platformId?: string
}

/** Everything known about one artifact at the end of the run, success or not. */
export interface ArtifactResult {
  artifact: Artifact
  source?: SourceObject
  clientRequestToken?: string
  job?: JobState
  /** The signed object's version that Signer wrote (finish stage): what is downloaded and deployed. */
  signedVersionId?: string
  /** Absolute path of the downloaded signed file. */
  signedPath?: string
  /** Lowercase hex SHA-256 of the downloaded signed file, hashed as it streams to disk (finish stage). */
  signedSha256?: string
  /** Set when this artifact failed; the others carry on. */
  error?: Error
}

/** Where a step writes its log lines; the run prints each artifact's lines together in one group. */
export type Log = (line: string) => void
