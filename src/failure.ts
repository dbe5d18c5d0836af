/**
 * The message the step fails with: what a user reads in the annotation. An error the modes did not catch is
 * often an AWS answer: it is named by its call, AWS's error code and message, and the usual fix for that
 * code. Never a stack trace: main.ts sends that to the debug log. Pure.
 */
import {
  OperationTagged,
  SignerOperationTagged,
  errorMessage,
  httpStatusOf,
  withoutStackFrames
} from './errors'

type Tagged = Error & OperationTagged & SignerOperationTagged

const CREDENTIALS =
  'the AWS credentials are missing, invalid or expired: check the configure-aws-credentials step ' +
  '(role-to-assume, aws-region) and that the job has id-token: write'

/** The usual fix per AWS error code (Signer's model, S3's and STS's common codes). */
const FIXES: Record<string, (operation: string | undefined, signer: boolean) => string> = {
  AccessDeniedException: accessFix,
  AccessDenied: accessFix,
  Forbidden: accessFix,
  ResourceNotFoundException: () =>
    'check the names in the inputs and aws-region: AWS finds no such resource in this account and Region',
  NotFoundException: () => 'check the names in the inputs and aws-region',
  NoSuchBucket: () => 'check the bucket name and aws-region',
  NoSuchKey: () => 'check the key: the object does not exist',
  ValidationException: () => 'AWS refused a value it was sent: the message names it; correct that input',
  BadRequestException: () => 'AWS refused the request: the message says why',
  ConflictException: () => 'the resource was changed by someone else meanwhile: run again',
  TooManyRequestsException: () => throttled(),
  ThrottlingException: () => throttled(),
  SlowDown: () => throttled(),
  InternalServiceErrorException: () => 'AWS failed on its side: run again',
  InternalError: () => 'AWS failed on its side: run again',
  ServiceUnavailable: () => 'AWS failed on its side: run again',
  ServiceLimitExceededException: () =>
    'an AWS Signer quota is reached: remove what is no longer needed, or ask AWS for a higher quota',
  ExpiredToken: () => CREDENTIALS,
  ExpiredTokenException: () => CREDENTIALS,
  UnrecognizedClientException: () => CREDENTIALS,
  InvalidClientTokenId: () => CREDENTIALS,
  InvalidAccessKeyId: () => CREDENTIALS,
  SignatureDoesNotMatch: () => CREDENTIALS,
  CredentialsProviderError: () => CREDENTIALS
}

function accessFix(operation: string | undefined, signer: boolean): string {
  const permission = operation
    ? signer
      ? `signer:${operation}`
      : `the S3 permission ${operation} needs`
    : ''
  return (
    `grant ${permission || 'the permission this call needs'} to the role this step runs as ` +
    '(setup/iam/ has the policy of each mode)'
  )
}

function throttled(): string {
  return "AWS throttled the calls beyond the SDK's retries: run again later, or raise AWS_MAX_ATTEMPTS"
}

function isAwsError(error: Error): boolean {
  return '$metadata' in error
}

/** The message on one line, without the stack frames some errors carry in it. */
export function withoutStack(message: string): string {
  return withoutStackFrames(message)
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean)
    .join(' ')
}

/** The one line the step fails with. */
export function failureMessage(error: unknown): string {
  if (!(error instanceof Error)) return withoutStack(String(error))
  const tagged = error as Tagged
  const credentials = error.name === 'CredentialsProviderError'
  if (!isAwsError(error) && !credentials) return withoutStack(errorMessage(error))
  const signerOperation = tagged.$signerOperation
  const operation = signerOperation ?? tagged.$operation
  let text = withoutStack(errorMessage(error))
  if (signerOperation && !text.startsWith(signerOperation)) text = `${signerOperation}: ${text}`
  if (error.name === 'SyntaxError') {
    // The SDK could not parse the answer: not AWS speaking (a proxy, or a wrong endpoint URL).
    const status = httpStatusOf(error)
    return (
      `${operation ?? 'An AWS call'}: the answer${status ? ` (HTTP ${status})` : ''} was not AWS's JSON. ` +
      'Fix: check AWS_ENDPOINT_URL* and any proxy between the runner and AWS'
    )
  }
  const fix = FIXES[error.name]?.(operation, signerOperation !== undefined)
  return `${text.replace(/\.$/, '')}. Fix: ${fix ?? 'run again; if it fails the same way, re-run with debug logging and report the message'}`
}
