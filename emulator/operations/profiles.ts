/** PutSigningProfile, GetSigningProfile, ListSigningProfiles, CancelSigningProfile, RevokeSigningProfile. */
import { profileFor } from '../access'
import { profileArn, profileVersionArn } from '../arns'
import { compact, Handler, Output, seconds, Services } from '../context'
import { generateSigningKey } from '../crypto/keys'
import { notFound, validation } from '../errors'
import { filterScope } from '../filters'
import { paginate } from '../pagination'
import { findPlatform, managedCertificate, SigningPlatform } from '../platforms'
import { ProfileRecord, ProfileStatus } from '../state'
import { addValidity, readValidityPeriod } from '../validity'
import { newProfileVersion, readOverrides, readPlatformId } from './profile-inputs'
import {
  readAccountId,
  readBoolean,
  readMaxResults,
  readObject,
  readProfileName,
  readProfileVersion,
  readReason,
  readString,
  readStringList,
  readStringMap,
  readTags,
  readTime
} from '../validation'

const STATUSES: ProfileStatus[] = ['Active', 'Canceled', 'Revoked']

function sameSettings(profile: ProfileRecord, platform: SigningPlatform): boolean {
  return profile.platformId === platform.platformId
}

export const putSigningProfile: Handler = async ({ caller, services }, input) => {
  const profileName = readProfileName(input)
  const platform = readPlatformId(input)
  const signatureValidityPeriod = readValidityPeriod(input)
  const material = readObject(input, 'signingMaterial')
  const certificateArn = material
    ? readString(material, 'certificateArn', { required: true }, 'signingMaterial.certificateArn')
    : undefined
  if (!certificateArn && !managedCertificate(platform.platformId))
    throw validation(
      `signingMaterial.certificateArn is required for platform ${platform.platformId} (an ACM certificate ARN; ` +
        'the emulator records it and signs with its own generated key).'
    )
  const overrides = readOverrides(input, platform)
  const signingParameters = readStringMap(input, 'signingParameters')
  const tags = readTags(input)

  const { region } = services.settings
  const existing = services.store.getProfile(caller.accountId, profileName)
  if (existing) {
    if (existing.status !== 'Active')
      throw validation(
        `The signing profile ${profileName} is ${existing.status}; its name cannot be reused. Choose another profile name.`
      )
    if (!sameSettings(existing, platform))
      throw validation(
        `A signing profile named ${profileName} already exists on platform ${existing.platformId}.`
      )
    return putOutput(region, existing)
  }

  const now = services.now()
  const encryptionAlgorithm =
    overrides?.signingConfiguration?.encryptionAlgorithm ??
    platform.signingConfiguration.encryptionAlgorithmOptions.defaultValue
  const hashAlgorithm =
    overrides?.signingConfiguration?.hashAlgorithm ??
    platform.signingConfiguration.hashAlgorithmOptions.defaultValue
  const profileVersion = newProfileVersion()
  const key = await generateSigningKey({
    encryptionAlgorithm,
    hashAlgorithm,
    commonName: `${profileName}/${profileVersion}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(addValidity(now, signatureValidityPeriod))
  })
  // A concurrent put of the same name may have finished while the key was generated.
  const raced = services.store.getProfile(caller.accountId, profileName)
  if (raced) return putOutput(region, raced)
  const profile: ProfileRecord = {
    owner: caller.accountId,
    profileName,
    profileVersion,
    platformId: platform.platformId,
    signatureValidityPeriod,
    ...(certificateArn ? { signingMaterial: { certificateArn } } : {}),
    ...(overrides ? { overrides } : {}),
    ...(signingParameters ? { signingParameters } : {}),
    status: 'Active',
    createdAt: now,
    key,
    encryptionAlgorithm,
    hashAlgorithm,
    signingImageFormat: overrides?.signingImageFormat ?? platform.signingImageFormat.defaultFormat,
    permissions: [],
    tags: tags ?? {}
  }
  services.store.putProfile(profile)
  return putOutput(region, profile)
}

function putOutput(region: string, profile: ProfileRecord): Output {
  return {
    arn: profileArn(region, profile.owner, profile.profileName),
    profileVersion: profile.profileVersion,
    profileVersionArn: profileVersionArn(region, profile.owner, profile.profileName, profile.profileVersion)
  }
}

/** The profile as GetSigningProfile and ListSigningProfiles show it. */
export function describeProfile(services: Services, profile: ProfileRecord, full: boolean): Output {
  const { region } = services.settings
  const platform = findPlatform(profile.platformId)
  return compact({
    profileName: profile.profileName,
    profileVersion: profile.profileVersion,
    profileVersionArn: profileVersionArn(region, profile.owner, profile.profileName, profile.profileVersion),
    revocationRecord:
      full && profile.revocation
        ? {
            revocationEffectiveFrom: seconds(profile.revocation.effectiveFrom),
            revokedAt: seconds(profile.revocation.revokedAt),
            revokedBy: profile.revocation.revokedBy
          }
        : undefined,
    signingMaterial: profile.signingMaterial,
    platformId: profile.platformId,
    platformDisplayName: platform?.displayName,
    signatureValidityPeriod: profile.signatureValidityPeriod,
    overrides: full ? profile.overrides : undefined,
    signingParameters: profile.signingParameters,
    status: profile.status,
    statusReason: full && profile.revocation ? profile.revocation.reason : undefined,
    arn: profileArn(region, profile.owner, profile.profileName),
    tags: Object.keys(profile.tags).length > 0 ? profile.tags : undefined
  })
}

export const getSigningProfile: Handler = ({ caller, services }, input) => {
  const name = readProfileName(input)
  const owner = readAccountId(input, 'profileOwner')
  const profile = profileFor(services.store, caller, name, owner, 'signer:GetSigningProfile')
  return describeProfile(services, profile, true)
}

export const listSigningProfiles: Handler = ({ caller, services }, input) => {
  const includeCanceled = readBoolean(input, 'includeCanceled') ?? false
  const maxResults = readMaxResults(input) ?? 25
  const nextToken = readString(input, 'nextToken')
  const platformId = readString(input, 'platformId')
  const statuses = readStringList(input, 'statuses', { item: { oneOf: STATUSES } }) as
    ProfileStatus[] | undefined
  const matching = services.store.listProfiles(caller.accountId).filter(profile => {
    if (profile.status === 'Canceled' && !includeCanceled && !statuses?.includes('Canceled')) return false
    if (statuses && statuses.length > 0 && !statuses.includes(profile.status)) return false
    return platformId === undefined || profile.platformId === platformId
  })
  const page = paginate(matching, profile => profile.profileName, {
    maxResults,
    nextToken,
    scope: filterScope('ListSigningProfiles', { includeCanceled, platformId, statuses })
  })
  return compact({
    profiles: page.items.map(profile => describeProfile(services, profile, false)),
    nextToken: page.nextToken
  })
}

export const cancelSigningProfile: Handler = ({ caller, services }, input) => {
  const name = readProfileName(input)
  const profile = services.store.getProfile(caller.accountId, name)
  if (!profile) throw notFound(`No signing profile named ${name} in account ${caller.accountId}.`)
  if (profile.status === 'Active') {
    profile.status = 'Canceled'
    services.store.save()
  }
  return {}
}

export const revokeSigningProfile: Handler = ({ caller, services }, input) => {
  const name = readProfileName(input)
  const version = readProfileVersion(input, true) as string
  const reason = readReason(input)
  const effectiveFrom = readTime(input, 'effectiveTime', true)
  const profile = services.store.getProfile(caller.accountId, name)
  if (!profile) throw notFound(`No signing profile named ${name} in account ${caller.accountId}.`)
  if (profile.profileVersion !== version)
    throw notFound(
      `Signing profile ${name} has no version ${version} (its version is ${profile.profileVersion}).`
    )
  const platform = findPlatform(profile.platformId)
  if (platform && !platform.revocationSupported)
    throw validation(`Revocation is not supported for signing platform ${profile.platformId}.`)
  // AWS (developer guide, "Revoke signatures generated by Signer"): "Revocation for a signing profile
  // requires an effective start time in the past. [...] The effective start time can be changed to an
  // earlier date and time by repeating the revocation, but cannot be revised to a later date and time."
  // AWS documents no error for either: ValidationException is the closest of the operation's errors.
  const now = services.now()
  if (effectiveFrom > now)
    throw validation(
      `The effectiveTime ${new Date(effectiveFrom).toISOString()} is in the future: revocation of a signing ` +
        'profile requires an effective start time in the past.'
    )
  const recorded = profile.revocation?.effectiveFrom
  if (recorded !== undefined && effectiveFrom > recorded)
    throw validation(
      `Signing profile ${name} version ${version} is revoked effective from ${new Date(recorded).toISOString()}; ` +
        `the effective start time can be changed to an earlier time, not to ${new Date(effectiveFrom).toISOString()}.`
    )
  // The same time again changes nothing; an earlier one moves the start, recorded as this revocation.
  if (recorded === undefined || effectiveFrom < recorded) {
    profile.status = 'Revoked'
    profile.revocation = { effectiveFrom, revokedAt: now, revokedBy: caller.arn, reason }
    services.store.save()
  }
  return {}
}
