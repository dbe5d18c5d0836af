/**
 * The provenance of one signing job: what was signed, from which commit, into which signature. The same
 * job comes back to every run of the same commit (the clientRequestToken leaves run ids out), so this part
 * is the same whichever run writes it: the manifest holds it as is.
 */
export interface JobProvenance {
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
  profileName: string
  profileOwner: string | null
  profileVersion: string | null
  profileVersionArn: string | null
  platformId: string | null
  /** null when the job's platform sets no expiry (IoT, FreeRTOS). */
  signatureExpiresAt: string | null
  source: { bucket: string; key: string; versionId: string }
  signed: { bucket: string; key: string } | null
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
