/**
 * What AddProfilePermission takes, beyond the model's shapes: who can be a principal, and which actions a
 * profile's platform can grant. Pure; the AWS sources are in emulator/README.md ("Profile permissions").
 */
import { validation } from './errors'
import { LAMBDA_PLATFORM, NOTATION_PLATFORM } from './platforms'

/**
 * "This may be an IAM role or another AWS account ID" (API reference). A role ARN with a path is refused
 * too: a user report of `aws signer add-profile-permission` (aws/aws-cli#7820) shows it answered so.
 */
const PRINCIPAL = /^(\d{12}|arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@-]{1,64})$/

export const validPrincipal = (principal: string): boolean => PRINCIPAL.test(principal)

export function checkPrincipal(principal: string): void {
  if (!validPrincipal(principal)) throw validation('Principal is not a valid AWS account id or IAM Role Arn')
}

/**
 * The actions each cross-account platform can grant, in the order AWS's message lists them: "signer:StartSigningJob.
 * This action isn't supported for container image workflows", "signer:SignPayload. This action isn't
 * supported for AWS Lambda workflows" (API reference, AddProfilePermission `action`).
 */
const GRANTABLE: Record<string, readonly string[]> = {
  [LAMBDA_PLATFORM]: ['signer:StartSigningJob', 'signer:GetSigningProfile', 'signer:RevokeSignature'],
  [NOTATION_PLATFORM]: ['signer:SignPayload', 'signer:GetSigningProfile', 'signer:RevokeSignature']
}

/**
 * Cross-account signing "is only available for AWS Lambda and container registries signing platforms"
 * (developer guide, signing-profile-cross-account). For those two, the message is the one AWS was seen to
 * send for a Notation profile (hashicorp/terraform-provider-aws#33941); for the others AWS's words are not
 * known, and a ValidationException saying so is the closest documented answer.
 */
export function checkActionForPlatform(platformId: string, action: string): void {
  const allowed = GRANTABLE[platformId]
  if (allowed === undefined) {
    throw validation(`Cross-account permissions are not supported for platform ${platformId}.`)
  }
  if (!allowed.includes(action)) {
    throw validation(
      `Action ${action} not supported for platform ${platformId}. Action must be one of [${allowed.join(', ')}]`
    )
  }
}
