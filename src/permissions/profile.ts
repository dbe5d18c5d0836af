import { GetSigningProfileCommand, SignerClient } from '@aws-sdk/client-signer'
import { PreflightError, errorMessage } from '../errors'

/** What permissions mode needs of the profile: that it is this account's, and its platform. */
export interface ProfileFacts {
  platformId: string
  status?: string
  profileVersion?: string
}

/**
 * GetSigningProfile, first: ListProfilePermissions answers ResourceNotFoundException both for a profile that
 * does not exist and for one that has no policy yet, and the profile's platform decides what it can grant.
 */
export async function readProfile(
  signer: SignerClient,
  profileName: string,
  region: string
): Promise<ProfileFacts> {
  try {
    const profile = await signer.send(new GetSigningProfileCommand({ profileName }))
    return {
      platformId: profile.platformId ?? '',
      ...(profile.status ? { status: profile.status } : {}),
      ...(profile.profileVersion ? { profileVersion: profile.profileVersion } : {})
    }
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error
    throw new PreflightError(
      `Signing profile ${profileName} does not exist in ${region} in this account (GetSigningProfile: ` +
        `${errorMessage(error)}). Fix: check profile-name and aws-region; permissions mode manages the ` +
        'profiles the account running it owns',
      { cause: error }
    )
  }
}
