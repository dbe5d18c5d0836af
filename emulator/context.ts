/** What every operation handler receives: the caller and the emulator's services. */
import type { FaultRegistry } from './faults'
import type { Identity } from './identity'
import type { JobRunner } from './job-runner'
import type { ObjectStore } from './s3'
import type { StateStore } from './state'
import type { RateLimits, Throttle } from './throttle'
import type { Input } from './validation'

export interface EmulatorSettings {
  region: string
  accountId: string
  /** How long a new signing job stays InProgress. */
  jobDurationMs: number
  /** Added before every API answer. */
  latencyMs: number
  /** Access key id → emulated identity. */
  identities: Record<string, { accountId: string; arn?: string }>
  /** Requests a second per account, by operation (emulator/throttle.ts); none by default. */
  rateLimits: RateLimits
  /** ListSigningJobs' order: newest first unless set; AWS promises none, so a test may turn it round. */
  jobListingOrder?: 'newestFirst' | 'oldestFirst'
}

export interface Services {
  settings: EmulatorSettings
  store: StateStore
  faults: FaultRegistry
  throttle: Throttle
  objects: ObjectStore
  runner: JobRunner
  now(): number
}

export interface Call {
  caller: Identity
  services: Services
}

export type Output = Record<string, unknown>
export type Handler = (call: Call, input: Input) => Output | Promise<Output>

/** Epoch seconds, the only timestamp form the JS SDK parses in a restJson1 response body. */
export const seconds = (ms: number): number => ms / 1000

/** Drops undefined members, so absent fields are absent from the JSON. */
export function compact(output: Output): Output {
  return Object.fromEntries(Object.entries(output).filter(([, value]) => value !== undefined))
}
