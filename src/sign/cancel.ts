/**
 * Runs `report` if the step is cancelled (the runner sends SIGINT, then SIGTERM) before the returned
 * function is called, then ends the process: a cancelled run still says which jobs it had started.
 */
export function onCancel(report: (signal: NodeJS.Signals) => void): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    report(signal)
    process.exit(1)
  }
  process.once('SIGINT', handler)
  process.once('SIGTERM', handler)
  return () => {
    process.off('SIGINT', handler)
    process.off('SIGTERM', handler)
  }
}
