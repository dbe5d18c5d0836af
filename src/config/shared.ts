import { InputError } from '../errors'
import { InputReader, nonEmptyListInput, optionalString, requiredString } from '../inputs'
import { hasUnsafeCharacter, logSafe } from '../report/log-text'

export const PROFILE_NAME = /^[a-zA-Z0-9_]{2,64}$/
export const PROFILE_VERSION = /^[a-zA-Z0-9]{10}$/
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/
export const JOB_ID = /^[a-zA-Z0-9-]{1,64}$/
export const REASON_MAX_LENGTH = 500
/** Where sign mode puts the signed objects by default; its provenance records go under it. */
export const DEFAULT_DESTINATION_PREFIX = 'signed/'

export function reasonInput(read: InputReader, required: boolean): string | undefined {
  const reason = required
    ? requiredString(read, 'reason', 'in revoke mode: say why the signatures are revoked')
    : optionalString(read, 'reason')
  if (reason !== undefined && reason.length > REASON_MAX_LENGTH) {
    throw new InputError('reason', `must be 1-${REASON_MAX_LENGTH} characters, got ${reason.length}`)
  }
  // The reason is printed in the log and kept in records: one line, so it cannot forge a workflow command.
  if (reason !== undefined && hasUnsafeCharacter(reason)) {
    throw new InputError(
      'reason',
      `must be one line without control characters (newline, tab...), got '${logSafe(reason)}'`
    )
  }
  return reason
}

export function profileVersionInput(read: InputReader): string | undefined {
  const profileVersion = optionalString(read, 'profile-version')
  if (profileVersion !== undefined && !PROFILE_VERSION.test(profileVersion)) {
    throw new InputError('profile-version', `expected 10 letters or digits, got '${profileVersion}'`)
  }
  return profileVersion
}

export function profileNameInput(read: InputReader, why: string): string {
  const name = requiredString(read, 'profile-name', why)
  // arn:aws:signer:REGION:ACCOUNT:/signing-profiles/NAME, or a version ARN ending in /VERSION.
  const arn = /^arn:aws[a-z-]*:signer:[^:]*:(\d*):\/signing-profiles\/([^/]+)/.exec(name)
  if (arn) {
    throw new InputError(
      'profile-name',
      `use the profile's name, not its ARN: profile-name: ${arn[2]}` +
        (arn[1] ? ` (and profile-owner: '${arn[1]}' when account ${arn[1]} shares it with this one)` : '')
    )
  }
  if (!PROFILE_NAME.test(name)) {
    throw new InputError('profile-name', `expected 2-64 letters, digits or underscores, got '${name}'`)
  }
  return name
}
export function bucketInput(
  read: InputReader,
  name: string,
  fallback?: string,
  why = 'in sign mode'
): string {
  const bucket = optionalString(read, name) ?? fallback
  if (bucket === undefined) throw new InputError(name, `is required ${why}`)
  if (!BUCKET_NAME.test(bucket)) {
    throw new InputError(
      name,
      `expected an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens), got '${bucket}'`
    )
  }
  return bucket
}

/** A key prefix; empty takes the default, as the runner does. A leading '/' would make keys start with '/'. */
export function prefixInput(read: InputReader, name: string, fallback: string): string {
  const prefix = optionalString(read, name) ?? fallback
  if (prefix.startsWith('/')) throw new InputError(name, `must not start with '/', got '${prefix}'`)
  return prefix
}

/** The ids as given, once each is known to be a signing job id; else an error naming the input. */
export function checkedJobIds(name: string, jobIds: string[]): string[] {
  for (const jobId of jobIds) {
    if (!JOB_ID.test(jobId)) {
      throw new InputError(name, `'${jobId}' is not a signing job id (letters, digits, hyphens)`)
    }
  }
  return jobIds
}

/** job-id as revoke and verify read it: ids separated by commas or newlines, each a signing job id. */
/** job-ids, or its first name job-id, which keeps working; one of the two, since both would be ambiguous. */
function jobIdsInputName(read: InputReader): 'job-ids' | 'job-id' {
  const given = (name: string): boolean => read(name).trim() !== ''
  if (given('job-ids') && given('job-id')) {
    throw new InputError('job-id', "and 'job-ids' were both given: give the job ids once, in job-ids")
  }
  return given('job-id') ? 'job-id' : 'job-ids'
}

export function jobIdsInput(read: InputReader, name = jobIdsInputName(read)): string[] {
  return checkedJobIds(name, nonEmptyListInput(read, name, 'job id'))
}
