/**
 * Cross-account access to a signing profile. Profiles belong to an account; the owner may do anything,
 * another account only what a profile permission (AddProfilePermission) grants its account id or the IAM
 * role it calls as (an assumed-role session of that role, or the role itself).
 */
import { accessDenied, notFound } from './errors'
import type { Identity } from './identity'
import type { PermissionRecord, ProfileRecord, StateStore } from './state'

export const PROFILE_ACTIONS = [
  'signer:StartSigningJob',
  'signer:GetSigningProfile',
  'signer:RevokeSignature',
  'signer:SignPayload'
] as const

/** The role ARN behind an assumed-role session ARN (STS drops the role's path from it); else the ARN. */
export function roleOf(callerArn: string): string {
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(callerArn)
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : callerArn
}

export function principalMatches(principal: string, caller: Identity): boolean {
  return principal === caller.accountId || principal === roleOf(caller.arn)
}

export function grants(
  permission: PermissionRecord,
  profile: ProfileRecord,
  caller: Identity,
  action: string
): boolean {
  return (
    permission.action === action &&
    principalMatches(permission.principal, caller) &&
    (permission.profileVersion === undefined || permission.profileVersion === profile.profileVersion)
  )
}

export function allows(profile: ProfileRecord, caller: Identity, action: string): boolean {
  return (
    profile.owner === caller.accountId || profile.permissions.some(p => grants(p, profile, caller, action))
  )
}

/**
 * The profile `name` of `owner` (the caller's account when absent), if the caller may perform `action` on
 * it: ResourceNotFoundException when there is no such profile, AccessDeniedException without a permission.
 */
export function profileFor(
  store: StateStore,
  caller: Identity,
  name: string,
  owner: string | undefined,
  action: string
): ProfileRecord {
  const account = owner ?? caller.accountId
  const profile = store.getProfile(account, name)
  if (!profile)
    throw notFound(
      account === caller.accountId
        ? `No signing profile named ${name} in account ${account}.`
        : `No signing profile named ${name} owned by account ${account}.`
    )
  if (!allows(profile, caller, action))
    throw accessDenied(
      `${caller.arn} is not authorized to perform ${action} on ${name} owned by ${profile.owner}: ` +
        'the owner must grant it with AddProfilePermission.'
    )
  return profile
}
