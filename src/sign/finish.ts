import { AwsClients } from '../aws'
import { SignConfig } from '../config'
import { downloadSignedObject, signedPath } from './download'
import { downloadName } from './source-object'
import { ArtifactResult, JobState, Log } from './types'

/**
 * The finish stage, with the artifact's bytes in flight again: the signed object downloaded into
 * output-dir (unless download: false). Outputs and the summary are written once every artifact is done.
 */
export async function finishArtifact(
  result: ArtifactResult,
  job: JobState,
  config: SignConfig,
  clients: AwsClients,
  log: Log
): Promise<void> {
  // Signature validity applies to the Lambda and Notation platforms only: an IoT job has no expiry.
  const expiry = job.signatureExpiresAt
    ? `signature expires ${job.signatureExpiresAt.toISOString()}`
    : 'the signature has no expiry (its platform sets none)'
  log(`Job ${job.jobId} ${job.status}; ${expiry}`)
  if (!config.download) return
  if (!job.signedObject) throw new Error(`Signing job ${job.jobId} succeeded but names no signed object`)
  const target = signedPath(config.outputDir, downloadName(result.artifact))
  result.signedSha256 = await downloadSignedObject(
    clients.s3,
    job.signedObject,
    target,
    config.expectedBucketOwner
  )
  result.signedPath = target
  log(`Downloaded s3://${job.signedObject.bucket}/${job.signedObject.key} to ${target}`)
}
