/**
 * TagResource, UntagResource, ListTagsForResource on signing profiles (their unversioned or versioned ARN).
 * A malformed ARN is a BadRequestException, an unknown profile a NotFoundException, as Signer's model says.
 */
import { parseProfileArn } from '../arns'
import { Call, Handler } from '../context'
import { SignerError } from '../errors'
import { ProfileRecord } from '../state'
import { readString, readStringList, readTags, TAG_KEY } from '../validation'

function taggedProfile({ caller, services }: Call, arn: string): ProfileRecord {
  const parts = parseProfileArn(arn)
  if (!parts)
    throw new SignerError(
      'BadRequestException',
      `${arn} is not a signing profile ARN (arn:aws:signer:REGION:ACCOUNT:/signing-profiles/NAME).`
    )
  const profile = services.store.getProfile(parts.owner, parts.profileName)
  const visible =
    profile &&
    parts.region === services.settings.region &&
    parts.owner === caller.accountId &&
    (parts.profileVersion === undefined || parts.profileVersion === profile.profileVersion)
  if (!visible) throw new SignerError('NotFoundException', `No signing profile with ARN ${arn}.`)
  return profile
}

export const tagResource: Handler = (call, input) => {
  const arn = readString(input, 'resourceArn', { required: true, min: 1 })
  const tags = readTags(input, true) as Record<string, string>
  const profile = taggedProfile(call, arn)
  if (Object.keys({ ...profile.tags, ...tags }).length > 200)
    throw new SignerError('BadRequestException', 'A signing profile can have at most 200 tags.')
  Object.assign(profile.tags, tags)
  call.services.store.save()
  return {}
}

export const untagResource: Handler = (call, input) => {
  const arn = readString(input, 'resourceArn', { required: true, min: 1 })
  const keys = readStringList(input, 'tagKeys', {
    required: true,
    min: 1,
    max: 200,
    item: { min: 1, max: 128, pattern: TAG_KEY }
  }) as string[]
  const profile = taggedProfile(call, arn)
  for (const key of keys) delete profile.tags[key]
  call.services.store.save()
  return {}
}

export const listTagsForResource: Handler = (call, input) => {
  const arn = readString(input, 'resourceArn', { required: true, min: 1 })
  return { tags: { ...taggedProfile(call, arn).tags } }
}
