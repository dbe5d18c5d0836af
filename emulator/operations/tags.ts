/**
 * TagResource, UntagResource, ListTagsForResource on signing profiles (their unversioned or versioned ARN).
 * Botocore's model, `shapes.BadRequestException`: "The request contains invalid parameters for the ARN or
 * tags. This exception also occurs when you call a tagging API on a cancelled signing profile." So a
 * malformed ARN, a tag key or value outside `TagKey`/`TagValue`, and a Canceled profile are each a
 * BadRequestException (never a ValidationException, which these operations do not list); an unknown profile
 * is a NotFoundException.
 */
import { parseProfileArn } from '../arns'
import { Call, Handler } from '../context'
import { SignerError } from '../errors'
import { ProfileRecord } from '../state'
import { Input, readString, readStringList, readTags, TAG_KEY } from '../validation'

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
  if (profile.status === 'Canceled')
    throw new SignerError(
      'BadRequestException',
      `The signing profile ${profile.profileName} is Canceled: its tags can no longer be read or changed.`
    )
  return profile
}

/** The operation's members, read with the usual rules; a member that breaks one is a BadRequestException. */
function readAsBadRequest<T>(input: Input, read: (input: Input) => T): T {
  try {
    return read(input)
  } catch (error) {
    if (error instanceof SignerError && error.errorType === 'ValidationException')
      throw new SignerError('BadRequestException', error.message)
    throw error
  }
}

export const tagResource: Handler = (call, input) => {
  const { arn, tags } = readAsBadRequest(input, members => ({
    arn: readString(members, 'resourceArn', { required: true, min: 1 }),
    tags: readTags(members, true) as Record<string, string>
  }))
  const profile = taggedProfile(call, arn)
  if (Object.keys({ ...profile.tags, ...tags }).length > 200)
    throw new SignerError('BadRequestException', 'A signing profile can have at most 200 tags.')
  Object.assign(profile.tags, tags)
  call.services.store.save()
  return {}
}

export const untagResource: Handler = (call, input) => {
  const { arn, keys } = readAsBadRequest(input, members => ({
    arn: readString(members, 'resourceArn', { required: true, min: 1 }),
    keys: readStringList(members, 'tagKeys', {
      required: true,
      min: 1,
      max: 200,
      item: { min: 1, max: 128, pattern: TAG_KEY }
    }) as string[]
  }))
  const profile = taggedProfile(call, arn)
  for (const key of keys) delete profile.tags[key]
  call.services.store.save()
  return {}
}

export const listTagsForResource: Handler = (call, input) => {
  const arn = readAsBadRequest(input, members =>
    readString(members, 'resourceArn', { required: true, min: 1 })
  )
  return { tags: { ...taggedProfile(call, arn).tags } }
}
