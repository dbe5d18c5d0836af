/**
 * AddProfilePermission, ListProfilePermissions, RemoveProfilePermission: a profile's cross-account policy,
 * versioned by a revisionId that changes with every change. A stale revisionId is a ConflictException.
 */
import * as crypto from 'node:crypto'
import { PROFILE_ACTIONS } from '../access'
import { profileArn } from '../arns'
import { Call, compact, Handler } from '../context'
import { conflict, notFound, validation } from '../errors'
import { paginate } from '../pagination'
import { PermissionRecord, ProfileRecord } from '../state'
import { readProfileName, readProfileVersion, readString } from '../validation'

const STATEMENT_ID = /^[a-zA-Z0-9_-]{1,100}$/

function ownProfile({ caller, services }: Call, name: string): ProfileRecord {
  const profile = services.store.getProfile(caller.accountId, name)
  if (!profile) throw notFound(`No signing profile named ${name} in account ${caller.accountId}.`)
  return profile
}

function checkRevision(profile: ProfileRecord, revisionId: string | undefined, required: boolean): void {
  if (revisionId === undefined && !required) return
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

export const addProfilePermission: Handler = (call, input) => {
  const name = readProfileName(input)
  const action = readString(input, 'action', { required: true, oneOf: PROFILE_ACTIONS })
  const principal = readString(input, 'principal', { required: true, min: 1 })
  const statementId = readString(input, 'statementId', { required: true, pattern: STATEMENT_ID })
  const profileVersion = readProfileVersion(input, false)
  const revisionId = readString(input, 'revisionId')
  const profile = ownProfile(call, name)
  checkRevision(profile, revisionId, false)
  if (profileVersion !== undefined && profileVersion !== profile.profileVersion)
    throw notFound(`Signing profile ${name} has no version ${profileVersion}.`)
  if (profile.permissions.some(p => p.statementId === statementId))
    throw conflict(`A permission with statementId ${statementId} already exists on ${name}.`)
  if (profile.permissions.length >= 100)
    throw validation(`Signing profile ${name} already has 100 permissions.`)
  const permission: PermissionRecord = {
    action,
    principal,
    statementId,
    ...(profileVersion ? { profileVersion } : {})
  }
  profile.permissions.push(permission)
  profile.policyRevisionId = crypto.randomUUID()
  call.services.store.save()
  return { revisionId: profile.policyRevisionId }
}

export const listProfilePermissions: Handler = (call, input) => {
  const name = readProfileName(input)
  const nextToken = readString(input, 'nextToken')
  const profile = ownProfile(call, name)
  const page = paginate(profile.permissions, permission => permission.statementId, {
    maxResults: 25,
    nextToken,
    scope: `ListProfilePermissions/${name}`
  })
  return compact({
    revisionId: profile.policyRevisionId,
    policySizeBytes: Buffer.byteLength(policyDocument(call.services.settings.region, profile)),
    permissions: page.items,
    nextToken: page.nextToken
  })
}

export const removeProfilePermission: Handler = (call, input) => {
  const name = readProfileName(input)
  const statementId = readString(input, 'statementId', { required: true, min: 1 })
  const revisionId = readString(input, 'revisionId', { required: true })
  const profile = ownProfile(call, name)
  checkRevision(profile, revisionId, true)
  if (!profile.permissions.some(p => p.statementId === statementId))
    throw notFound(`Signing profile ${name} has no permission with statementId ${statementId}.`)
  profile.permissions = profile.permissions.filter(p => p.statementId !== statementId)
  profile.policyRevisionId = crypto.randomUUID()
  call.services.store.save()
  return { revisionId: profile.policyRevisionId }
}
