/**
 * AddProfilePermission, ListProfilePermissions, RemoveProfilePermission: a profile's cross-account policy,
 * versioned by a revisionId that changes with every change. A stale revisionId is a ConflictException. A
 * profile without statements has no policy: no revisionId, and its listing is a ResourceNotFoundException.
 * The rules and their AWS sources are in emulator/README.md ("Profile permissions").
 */
import * as crypto from 'node:crypto'
import { PROFILE_ACTIONS } from '../access'
import { profileArn } from '../arns'
import { Call, compact, Handler } from '../context'
import { conflict, notFound, SignerError } from '../errors'
import { paginate } from '../pagination'
import { checkActionForPlatform, checkPrincipal } from '../permission-rules'
import { PermissionRecord, ProfileRecord } from '../state'
import { readProfileName, readProfileVersion, readString } from '../validation'

/**
 * ListProfilePermissions takes no maxResults (botocore's model has only nextToken) and AWS does not say how
 * many statements a page holds: the emulator answers 25 at a time, as its other list operations do at most.
 */
const PERMISSIONS_PAGE_SIZE = 25

/** AWS names no number; the model lists ServiceLimitExceededException among AddProfilePermission's errors. */
const MAX_PERMISSIONS = 100

function ownProfile({ caller, services }: Call, name: string): ProfileRecord {
  const profile = services.store.getProfile(caller.accountId, name)
  if (!profile) throw notFound(`No signing profile named ${name} in account ${caller.accountId}.`)
  return profile
}

/**
 * A revisionId must be the policy's current one. While there is no policy, AddProfilePermission takes none
 * or '' (AWS's developer guide: "no revisionId required" for the first permission; the Terraform AWS provider
 * sends '' then); RemoveProfilePermission always needs it (required in the model).
 */
function checkRevision(profile: ProfileRecord, revisionId: string | undefined): void {
  if (!revisionId && profile.policyRevisionId === undefined) return
  if (revisionId !== profile.policyRevisionId)
    throw conflict(
      `The revisionId ${revisionId ?? '(none)'} does not match the policy's current revision ` +
        `${profile.policyRevisionId ?? '(none)'}: list the permissions again and retry with the current revisionId.`
    )
}

/** The policy document these permissions amount to; its size is policySizeBytes. */
export function policyDocument(region: string, profile: ProfileRecord): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: profile.permissions.map(permission => ({
      Sid: permission.statementId,
      Effect: 'Allow',
      Principal: { AWS: permission.principal },
      Action: permission.action,
      Resource: permission.profileVersion
        ? `${profileArn(region, profile.owner, profile.profileName)}/${permission.profileVersion}`
        : profileArn(region, profile.owner, profile.profileName)
    }))
  })
}

function addPermission(call: Call, profile: ProfileRecord, permission: PermissionRecord): string {
  if (permission.profileVersion !== undefined && permission.profileVersion !== profile.profileVersion)
    throw notFound(`Signing profile ${profile.profileName} has no version ${permission.profileVersion}.`)
  if (profile.permissions.some(p => p.statementId === permission.statementId))
    throw conflict(
      `A permission with statementId ${permission.statementId} already exists on ${profile.profileName}.`
    )
  if (profile.permissions.length >= MAX_PERMISSIONS)
    throw new SignerError(
      'ServiceLimitExceededException',
      `Signing profile ${profile.profileName} already has ${MAX_PERMISSIONS} permissions.`
    )
  profile.permissions.push(permission)
  return newRevision(call, profile)
}

function newRevision(call: Call, profile: ProfileRecord): string {
  profile.policyRevisionId = crypto.randomUUID()
  call.services.store.save()
  return profile.policyRevisionId
}

export const addProfilePermission: Handler = (call, input) => {
  const name = readProfileName(input)
  const action = readString(input, 'action', { required: true, oneOf: PROFILE_ACTIONS })
  const principal = readString(input, 'principal', { required: true, min: 1 })
  const statementId = readString(input, 'statementId', { required: true, min: 1 })
  const profileVersion = readProfileVersion(input, false)
  const revisionId = readString(input, 'revisionId')
  checkPrincipal(principal)
  const profile = ownProfile(call, name)
  checkActionForPlatform(profile.platformId, action)
  checkRevision(profile, revisionId)
  const revision = addPermission(call, profile, {
    action,
    principal,
    statementId,
    ...(profileVersion ? { profileVersion } : {})
  })
  return { revisionId: revision }
}

export const listProfilePermissions: Handler = (call, input) => {
  const name = readProfileName(input)
  const nextToken = readString(input, 'nextToken')
  const profile = ownProfile(call, name)
  if (profile.policyRevisionId === undefined) {
    // The read happened: a writer waiting on it (changePolicy) acts now, as after any listing.
    concurrentChange(call, profile)
    throw notFound(`Signing profile ${name} has no permissions policy.`)
  }
  const page = paginate(profile.permissions, permission => permission.statementId, {
    maxResults: PERMISSIONS_PAGE_SIZE,
    nextToken,
    scope: `ListProfilePermissions/${name}`
  })
  const output = compact({
    revisionId: profile.policyRevisionId,
    policySizeBytes: Buffer.byteLength(policyDocument(call.services.settings.region, profile)),
    permissions: page.items,
    nextToken: page.nextToken
  })
  concurrentChange(call, profile)
  return output
}

/** The changePolicy fault: another writer changes the policy once the caller has read its revisionId. */
function concurrentChange(call: Call, profile: ProfileRecord): void {
  const change = call.services.faults.policyChangeAfterList(profile.profileName)
  if (!change) return
  if (change.removeStatementId !== undefined) {
    if (profile.permissions.some(p => p.statementId === change.removeStatementId))
      removePermission(call, profile, change.removeStatementId)
    return
  }
  if (!change.permission) {
    // Without a policy there is no revision to change: only an added statement makes the read stale.
    if (profile.policyRevisionId !== undefined) newRevision(call, profile)
    return
  }
  try {
    addPermission(call, profile, { ...change.permission })
  } catch (error) {
    // The other writer's change failed (say, its statementId exists): the caller's listing still stands.
    if (!(error instanceof SignerError)) throw error
  }
}

/** Removes a statement; the new revisionId, or undefined once the last one is gone (and the policy with it). */
function removePermission(call: Call, profile: ProfileRecord, statementId: string): string | undefined {
  profile.permissions = profile.permissions.filter(p => p.statementId !== statementId)
  if (profile.permissions.length > 0) return newRevision(call, profile)
  profile.policyRevisionId = undefined
  call.services.store.save()
  return undefined
}

export const removeProfilePermission: Handler = (call, input) => {
  const name = readProfileName(input)
  const statementId = readString(input, 'statementId', { required: true, min: 1 })
  const revisionId = readString(input, 'revisionId', { required: true })
  const profile = ownProfile(call, name)
  if (profile.policyRevisionId === undefined)
    throw notFound(`Signing profile ${name} has no permissions policy.`)
  checkRevision(profile, revisionId)
  if (!profile.permissions.some(p => p.statementId === statementId))
    throw notFound(`Signing profile ${name} has no permission with statementId ${statementId}.`)
  // The last statement gone, so is the policy (no revisionId is returned): the next add is a first one again.
  return compact({ revisionId: removePermission(call, profile, statementId) })
}
