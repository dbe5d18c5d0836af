/**
 * A revocation that is cancelled (the runner sends SIGINT, then SIGTERM) stops starting revoke calls and
 * aborts those in flight, then reports what it did: a re-run reads each job's state again and continues
 * where this one stopped. A second signal ends the process at once.
 */
export function abortOnCancel(controller: AbortController): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(1)
    controller.abort(signal)
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return () => {
    process.off('SIGINT', handler)
    process.off('SIGTERM', handler)
  }
}

/** The signal a run was cancelled with, once it was. */
export function cancelledBy(signal: AbortSignal): NodeJS.Signals | undefined {
  return signal.aborted ? (signal.reason as NodeJS.Signals) : undefined
}
