import { errorMessage } from '../errors'

/** 'ResourceNotFoundException: Job abc not found': the SDK's error name says what kind of failure it was. */
export function describeError(error: unknown): string {
  if (
    error instanceof Error &&
    error.name &&
    error.name !== 'Error' &&
    !error.message.startsWith(error.name)
  ) {
    return `${error.name}: ${error.message}`
  }
  return errorMessage(error)
}

export function iso(time: Date | undefined): string {
  return time === undefined ? '' : time.toISOString()
}
