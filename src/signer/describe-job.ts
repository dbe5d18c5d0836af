import {
  DescribeSigningJobCommand,
  DescribeSigningJobCommandOutput,
  SignerClient
} from '@aws-sdk/client-signer'
import { errorMessage } from '../errors'

/** What DescribeSigningJob said about a job, or why it could not say: revoke and verify read jobs this way. */
export type DescribedJob =
  | {
      kind: 'found'
      jobOwner?: string
      status?: string
      statusReason?: string
      profileName?: string
      profileVersion?: string
      /** RevokeSignature works only on a platform with revocationSupported. */
      platformId?: string
      createdAt?: Date
      completedAt?: Date
      signatureExpiresAt?: Date
      /** Set when the job's signature is revoked. */
      revocation?: { reason?: string; revokedAt?: Date; revokedBy?: string }
      signedObject?: { bucket?: string; key?: string }
    }
  | { kind: 'error'; error: string }

/** A DescribeSigningJob answer as revoke and verify read it. */
export function describedJob(job: DescribeSigningJobCommandOutput): Extract<DescribedJob, { kind: 'found' }> {
  const record = job.revocationRecord
  const signed = job.signedObject?.s3
  return {
    kind: 'found',
    jobOwner: job.jobOwner,
    status: job.status,
    statusReason: job.statusReason,
    profileName: job.profileName,
    profileVersion: job.profileVersion,
    platformId: job.platformId,
    createdAt: job.createdAt,
    completedAt: job.completedAt,
    signatureExpiresAt: job.signatureExpiresAt,
    revocation: record
      ? { reason: record.reason, revokedAt: record.revokedAt, revokedBy: record.revokedBy }
      : undefined,
    signedObject: signed ? { bucket: signed.bucketName, key: signed.key } : undefined
  }
}

/** DescribeSigningJob for one job; an unknown job or any other error is remembered, not thrown. */
export async function describeJob(signer: SignerClient, jobId: string): Promise<DescribedJob> {
  try {
    return describedJob(await signer.send(new DescribeSigningJobCommand({ jobId })))
  } catch (error) {
    return { kind: 'error', error: errorMessage(error) }
  }
}
