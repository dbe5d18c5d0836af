import {
  DescribeSigningJobCommand,
  GetRevocationStatusCommand,
  GetSigningProfileCommand,
  SignerClient
} from '@aws-sdk/client-signer'
import { errorMessage } from '../errors'
import { JobRead, ProfileRead, RevocationStatusRead } from './types'

/** DescribeSigningJob; an unknown job or any other error is remembered, not thrown. */
export async function readJob(signer: SignerClient, jobId: string): Promise<JobRead> {
  try {
    const job = await signer.send(new DescribeSigningJobCommand({ jobId }))
    const record = job.revocationRecord
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
      signedObject: job.signedObject?.s3
        ? { bucket: job.signedObject.s3.bucketName, key: job.signedObject.s3.key }
        : undefined
    }
  } catch (error) {
    return { kind: 'error', error: errorMessage(error) }
  }
}

/** GetSigningProfile of the profile's owner: its current version, and whether that version is revoked. */
export async function readProfile(
  signer: SignerClient,
  profileName: string,
  profileOwner: string | undefined
): Promise<ProfileRead> {
  try {
    const profile = await signer.send(new GetSigningProfileCommand({ profileName, profileOwner }))
    const record = profile.revocationRecord
    return {
      kind: 'found',
      profileVersion: profile.profileVersion,
      status: profile.status,
      revocation: record
        ? {
            effectiveFrom: record.revocationEffectiveFrom,
            revokedAt: record.revokedAt,
            revokedBy: record.revokedBy
          }
        : undefined
    }
  } catch (error) {
    return { kind: 'error', error: errorMessage(error) }
  }
}

export interface RevocationQuery {
  signedAt: Date
  platformId: string
  profileVersionArn: string
  jobArn: string
}

/**
 * GetRevocationStatus for a signature made at `signedAt`. No certificate hash is sent: the action holds no
 * certificate of a signature (the Lambda platform's signing certificates are Signer's own), so the
 * certificate part of the answer is out of its reach.
 */
export async function readRevocationStatus(
  signer: SignerClient,
  query: RevocationQuery
): Promise<RevocationStatusRead> {
  try {
    const status = await signer.send(
      new GetRevocationStatusCommand({
        signatureTimestamp: query.signedAt,
        platformId: query.platformId,
        profileVersionArn: query.profileVersionArn,
        jobArn: query.jobArn,
        certificateHashes: []
      })
    )
    return { kind: 'found', revokedEntities: status.revokedEntities ?? [] }
  } catch (error) {
    return { kind: 'error', error: errorMessage(error) }
  }
}
