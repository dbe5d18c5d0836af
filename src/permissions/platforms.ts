/**
 * Which actions a profile can grant other accounts, by its platform. AWS: cross-account signing "is only
 * available for AWS Lambda and container registries signing platforms" (developer guide,
 * signing-profile-cross-account); `signer:StartSigningJob` "isn't supported for container image workflows",
 * `signer:SignPayload` "isn't supported for AWS Lambda workflows" (AddProfilePermission, API reference).
 * Pure: the platform id comes from GetSigningProfile.
 */
import { PERMISSION_ACTIONS } from './types'

export const LAMBDA_PLATFORM = 'AWSLambda-SHA384-ECDSA'
export const NOTATION_PLATFORM = 'Notation-OCI-SHA384-ECDSA'

/** The action each cross-account platform cannot grant. */
const UNSUPPORTED: Record<string, string> = {
  [LAMBDA_PLATFORM]: 'signer:SignPayload',
  [NOTATION_PLATFORM]: 'signer:StartSigningJob'
}

/** The actions a profile on `platformId` can grant; empty when the platform has no cross-account use. */
export function grantableActions(platformId: string): string[] {
  const unsupported = UNSUPPORTED[platformId]
  return unsupported === undefined ? [] : PERMISSION_ACTIONS.filter(action => action !== unsupported)
}

/** Why AWS will refuse to grant `action` on a profile of `platformId`; undefined when it will not. */
export function grantRefusal(profileName: string, platformId: string, action: string): string | undefined {
  const allowed = grantableActions(platformId)
  if (allowed.length === 0) {
    return (
      `Profile ${profileName} is on platform ${platformId}, and AWS Signer offers cross-account permissions ` +
      `only for ${LAMBDA_PLATFORM} and ${NOTATION_PLATFORM} profiles: nothing can be granted on it. ` +
      'Share a profile of one of those platforms, or sign in the owning account.'
    )
  }
  if (allowed.includes(action)) return undefined
  return (
    `Profile ${profileName} is on platform ${platformId}, which does not support ${action} ` +
    `(AWS answers ValidationException): grant one of ${allowed.join(', ')}.`
  )
}
