/**
 * What revoke mode does when Signer keeps throttling after the SDK's own retries: wait and try again, as
 * long as the run lasts. An incident must not fail because the account's quota is busy (other runs, other
 * tools), and a revocation tried again later is the same revocation.
 */
import { isThrottlingError } from '@smithy/core/retry'

/** The first pause after the SDK gave up on throttling; it doubles up to MAX_PAUSE_MS, with jitter. */
const FIRST_PAUSE_MS = 1000
const MAX_PAUSE_MS = 20_000

export interface Patience {
  /** Stops the waiting: a cancelled run tries nothing more. */
  signal?: AbortSignal
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  random?: () => number
  /** Told about each pause (what is waiting, and how long). */
  info?: (line: string) => void
}

export function isThrottled(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    isThrottlingError(error as Parameters<typeof isThrottlingError>[0])
  )
}

/** The pause before try number `attempt` + 1, in ms: doubling from FIRST_PAUSE_MS, jittered to 50-100 %. */
export function pauseMs(attempt: number, random: () => number = Math.random): number {
  return Math.round(Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (attempt - 1)) * (0.5 + random() / 2))
}

/**
 * Calls `call` until it answers or fails with anything but throttling. `what` names the call in the log
 * line of each pause. A cancelled run (patience.signal aborted) stops waiting and throws the last error.
 */
export async function untilNotThrottled<T>(
  what: string,
  call: () => Promise<T>,
  patience: Patience = {}
): Promise<T> {
  const sleep = patience.sleep ?? abortableSleep
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (error) {
      if (!isThrottled(error) || patience.signal?.aborted) throw error
      const pause = pauseMs(attempt, patience.random)
      patience.info?.(
        `${what}: Signer is still throttling after the SDK's retries; trying again in ${(pause / 1000).toFixed(1)} s`
      )
      await sleep(pause, patience.signal)
      if (patience.signal?.aborted) throw error
    }
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}
