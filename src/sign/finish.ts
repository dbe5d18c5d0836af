import { AwsClients } from '../aws'
import { SignConfig } from '../config'
import { logSafe } from '../report/log-text'
import { downloadSignedObject, signedPath } from './download'
import { signedObjectVersion } from './signed-version'
import { downloadName } from './source-object'
import { ArtifactResult, JobState, Log } from './types'

/**
 * The finish stage, with the artifact's bytes in flight again: the version Signer wrote is read from S3
 * (also with download: false, since a deploy from S3 needs it), then that exact version is downloaded into
 * output-dir unless download: false. Outputs and the summary are written once every artifact is done.
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
  if (!job.signedObject) throw new Error(`Signing job ${job.jobId} succeeded but names no signed object`)
  const signed = { ...job.signedObject }
  const versionId = await signedObjectVersion(
    clients.s3,
    { ...job, signedObject: signed },
    config.expectedBucketOwner
  )
  result.signedVersionId = versionId
  const uri = `s3://${signed.bucket}/${logSafe(signed.key)}?versionId=${logSafe(versionId)}`
  log(`Signed object ${uri}`)
  if (!config.download) return
  const target = signedPath(config.outputDir, downloadName(result.artifact))
  result.signedSha256 = await downloadSignedObject(clients.s3, { ...signed, versionId }, target, {
    expectedBucketOwner: config.expectedBucketOwner,
    outputDir: config.outputDir
  })
  result.signedPath = target
  log(`Downloaded ${uri} to ${target}`)
}
