/**
 * How long a cancelled run waits for the records of the jobs it started. GitHub's runner sends SIGINT to a
 * cancelled step, SIGTERM 7.5 s later and kills it 2.5 s after that: 5 s leaves room for the report.
 */
export const CANCEL_BUDGET_MS = 5000

/**
 * Runs `report` if the step is cancelled (the runner sends SIGINT, then SIGTERM) before the returned
 * function is called, then ends the process: a cancelled run still writes the records of the jobs it
 * started and says which they are. A second signal while `report` runs changes nothing: it is already
 * finishing as fast as it can.
 */
export function onCancel(report: (signal: NodeJS.Signals) => Promise<void> | void): () => void {
  let cancelled = false
  const handler = (signal: NodeJS.Signals): void => {
    if (cancelled) return
    cancelled = true
    void Promise.resolve()
      .then(() => report(signal))
      .catch(() => undefined)
      .finally(() => process.exit(1))
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return () => {
    if (cancelled) return
    process.off('SIGINT', handler)
    process.off('SIGTERM', handler)
  }
}
