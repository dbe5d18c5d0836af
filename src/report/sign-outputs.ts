import { ArtifactResult } from '../sign/types'
import { OutputName } from './outputs'

/** One element of the `jobs` output; null where this run learned nothing (no job started, not downloaded). */
export interface JobOutput {
  path: string
  /** null for a source-object whose SHA-256 S3 does not store. */
  sha256: string | null
  sourceKey: string | null
  sourceVersionId: string | null
  clientRequestToken: string | null
  jobId: string | null
  jobOwner: string | null
  status: string
  /** null until signed, and for good on platforms that set no expiry (IoT, FreeRTOS). */
  signatureExpiresAt: string | null
  signedBucket: string | null
  signedKey: string | null
  /** The signed object's version that Signer wrote: deploy this one, not whatever the key holds later. */
  signedVersionId: string | null
  signedPath: string | null
  /** SHA-256 of the downloaded signed file. */
  signedSha256: string | null
}

/** The status of an artifact whose job never started (preflight passed, but its upload failed). */
export const NOT_STARTED = 'NotStarted'

export function jobOutput(result: ArtifactResult): JobOutput {
  const job = result.job
  return {
    path: result.artifact.relativePath,
    sha256: result.artifact.sha256 || null,
    sourceKey: result.source?.key ?? null,
    sourceVersionId: result.source?.versionId ?? null,
    clientRequestToken: result.clientRequestToken ?? null,
    jobId: job?.jobId ?? null,
    jobOwner: job?.jobOwner ?? null,
    status: job?.status ?? NOT_STARTED,
    signatureExpiresAt: job?.signatureExpiresAt?.toISOString() ?? null,
    signedBucket: job?.signedObject?.bucket ?? null,
    signedKey: job?.signedObject?.key ?? null,
    signedVersionId: result.signedVersionId ?? null,
    signedPath: result.signedPath ?? null,
    signedSha256: result.signedSha256 ?? null
  }
}

/**
 * `jobs` always; the single-value outputs only when there is exactly one artifact, and only those this
 * run knows (an unset output reads as '' in a workflow).
 */
export function signOutputs(results: ArtifactResult[]): Partial<Record<OutputName, string>> {
  const jobs = results.map(jobOutput)
  const outputs: Partial<Record<OutputName, string>> = { jobs: JSON.stringify(jobs) }
  if (jobs.length !== 1) return outputs
  const [one] = jobs
  const single: Partial<Record<OutputName, string | null>> = {
    'job-id': one.jobId,
    'job-owner': one.jobOwner,
    'signature-expires-at': one.signatureExpiresAt,
    'client-request-token': one.clientRequestToken,
    'source-key': one.sourceKey,
    'source-version-id': one.sourceVersionId,
    'signed-bucket': one.signedBucket,
    'signed-key': one.signedKey,
    'signed-version-id': one.signedVersionId,
    'signed-path': one.signedPath,
    sha256: one.sha256,
    'signed-sha256': one.signedSha256,
    status: one.status
  }
  for (const [name, value] of Object.entries(single) as [OutputName, string | null][]) {
    if (value !== null) outputs[name] = value
  }
  return outputs
}
