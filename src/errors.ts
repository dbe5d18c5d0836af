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

/** Some items of a batch failed; each failure is already reported, this ends the step. */
export class PartialFailureError extends Error {
  override name = 'PartialFailureError'
}

/**
 * What went wrong, in one line. An AWS SDK error is named first ('ResourceNotFoundException: Job abc not
 * found'): the name says what kind of failure it was, and some carry no message at all.
 */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const fromSdk = '$metadata' in error
  if (fromSdk && !error.message.startsWith(error.name)) {
    return error.message ? `${error.name}: ${error.message}` : error.name
  }
  return error.message
}

/** approved-job-ids differs from what the run resolved: nothing is revoked. */
export class PlanChangedError extends Error {
  override name = 'PlanChangedError'
}
