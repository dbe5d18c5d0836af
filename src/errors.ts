import { STATUS_CODES } from 'node:http'

/** A bad input, found before any AWS call. The message names the input and what was expected. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string
  ) {
    super(`Input '${input}': ${message}`)
    this.name = 'InputError'
  }
}

/** The account is not ready for signing: profile not Active, bucket not versioned, artifact too big. */
export class PreflightError extends Error {
  override name = 'PreflightError'
}

/** Signer reported the job Failed. */
export class JobFailedError extends Error {
  override name = 'JobFailedError'
  constructor(
    readonly jobId: string,
    readonly statusReason: string
  ) {
    super(`Signing job ${jobId} failed: ${statusReason || 'no reason given'}`)
  }
}

/** The job did not finish in time; the id lets the user look it up or resume. */
export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError'
  constructor(
    readonly jobId: string,
    readonly timeoutSeconds: number
  ) {
    super(
      `Signing job ${jobId} did not finish within ${timeoutSeconds} s; ` +
        `check it with: aws signer describe-signing-job --job-id ${jobId}`
    )
  }
}

/**
 * A call about a started job failed in a way that retrying cannot fix (AccessDenied, a job that vanished):
 * the artifact fails at once instead of waiting out timeout-seconds. Names the job, the call and the
 * permission the call needs.
 */
export class JobStatusError extends Error {
  override name = 'JobStatusError'
  constructor(
    readonly jobId: string,
    readonly operation: string,
    cause: unknown
  ) {
    super(
      (cause as { name?: string } | undefined)?.name === 'ResourceNotFoundException'
        ? `Signing job ${jobId} no longer exists: ${operation} answered ${errorMessage(cause)}`
        : `Could not read the status of signing job ${jobId}: ${operation} failed with ${errorMessage(cause)}. ` +
            `It is not retried: ${operation} needs the permission signer:${operation}`,
      { cause }
    )
  }
}

/** Some items of a batch failed; each failure is already reported, this ends the step. */
export class PartialFailureError extends Error {
  override name = 'PartialFailureError'
}

/** Where the SDK error came from: set on S3 errors by the client built in aws.ts (see nameOperationInErrors). */
export interface OperationTagged {
  $operation?: string
}

/** The Signer call an error came from: set by the client built in aws.ts, read by src/failure.ts only. */
export interface SignerOperationTagged {
  $signerOperation?: string
}

/**
 * What went wrong, in one line. An AWS SDK error is named first ('ResourceNotFoundException: Job abc not
 * found'): the name says what kind of failure it was, and some carry no message at all. An error that
 * knows its operation starts with it ('HeadObject: Forbidden (HTTP 403)'). S3 answers a HEAD request
 * with a status and no body, so the SDK can only say 'UnknownError': the HTTP status says more.
 */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  if (!('$metadata' in error)) return withoutStackFrames(error.message)
  const operation = (error as OperationTagged).$operation
  const status = httpStatusOf(error)
  const bodiless = !error.message || error.message === 'UnknownError'
  let text: string
  if (bodiless) {
    // The SDK names a bodiless error 'Unknown' unless the model knows its status (404 NotFound).
    const code =
      error.name === 'Unknown' && status !== undefined ? (STATUS_CODES[status] ?? 'Unknown') : error.name
    text = status === undefined ? code : `${code} (HTTP ${status})`
  } else if (error.message.startsWith(error.name)) text = error.message
  else text = `${error.name}: ${error.message}`
  return operation && !text.startsWith(operation) ? `${operation}: ${text}` : text
}

/**
 * A message without the stack frames ('    at f (file.js:1:2)') some errors carry in it: a log line or an
 * annotation says what failed, the debug log has the stack.
 */
export function withoutStackFrames(message: string): string {
  return message
    .split('\n')
    .filter(line => !/^\s*at\s.*(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/.test(line))
    .join('\n')
}

/** approved-job-ids differs from what the run resolved: nothing is revoked. */
export class PlanChangedError extends Error {
  override name = 'PlanChangedError'
}

/** The HTTP status of an AWS SDK error (undefined for any other error). */
export function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode
}

/** The response headers of an AWS SDK error: S3 says what a bodiless HEAD error means in them. */
export function responseHeadersOf(error: unknown): Record<string, string> | undefined {
  return (error as { $response?: { headers?: Record<string, string> } } | undefined)?.$response?.headers
}
