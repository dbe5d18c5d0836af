import { GetRevocationStatusCommand, GetSigningProfileCommand, SignerClient } from '@aws-sdk/client-signer'
import { errorMessage } from '../errors'
import { ProfileRead, RevocationStatusRead } from './types'

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
