/**
 * Signer's API quotas: "per-second quotas on the allowed rate at which you can call API actions. Each API's
 * quota is specific to an AWS account and Region" (developer guide, Quotas for Signer). Each limited
 * operation gets a token bucket per calling account: it holds at most one second of requests (the burst),
 * refills at the rate, and a request that finds it empty is answered 429 TooManyRequestsException, the
 * error every operation's model lists for throttling.
 */
import { SignerError } from './errors'
import { ROUTES } from './routes'

/** Operation name → requests a second, for every account. Operations not named are not limited. */
export type RateLimits = Record<string, number>

const OPERATIONS = new Set(ROUTES.map(route => route.operation))

/** The largest rate accepted: far above any Signer quota, it only guards against typos. */
const MAX_RATE = 100_000

/** Checks one limit; throws an Error naming what is wrong. */
function checkLimit(operation: string, rate: unknown): number {
  if (!OPERATIONS.has(operation))
    throw new Error(
      `unknown operation ${operation} in a rate limit: use one of ${[...OPERATIONS].join(', ')}`
    )
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0 || rate > MAX_RATE)
    throw new Error(`the rate limit of ${operation} must be a number of requests a second above 0`)
  return rate
}

/** Rate limits as the admin API receives them: `{ "RevokeSignature": 10 }`; `{}` lifts every limit. */
export function parseRateLimits(value: unknown): RateLimits {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new Error('rateLimits must map operation names to requests a second, e.g. {"RevokeSignature": 10}')
  const limits: RateLimits = {}
  for (const [operation, rate] of Object.entries(value as Record<string, unknown>))
    limits[operation] = checkLimit(operation, rate)
  return limits
}

/** One `--rate-limit Op=N` argument of the CLI. */
export function parseRateLimitArg(text: string): [string, number] {
  const match = /^([A-Za-z]+)=(\d+(\.\d+)?)$/.exec(text)
  if (!match) throw new Error(`--rate-limit expects OPERATION=REQUESTS_PER_SECOND, got '${text}'`)
  return [match[1], checkLimit(match[1], Number(match[2]))]
}

interface Bucket {
  rate: number
  tokens: number
  refilledAt: number
}

/** The token buckets of every (account, operation) pair, against the limits in force when asked. */
export class Throttle {
  private readonly buckets = new Map<string, Bucket>()

  constructor(
    private readonly limits: () => RateLimits,
    private readonly now: () => number
  ) {}

  /** The error to answer with when this call is over its quota; otherwise takes one token. */
  check(accountId: string, operation: string): SignerError | undefined {
    const rate = this.limits()[operation]
    if (rate === undefined) return undefined
    const key = `${accountId} ${operation}`
    const now = this.now()
    let bucket = this.buckets.get(key)
    // A new or changed limit starts with a full second of burst.
    if (!bucket || bucket.rate !== rate) {
      bucket = { rate, tokens: burst(rate), refilledAt: now }
      this.buckets.set(key, bucket)
    }
    bucket.tokens = Math.min(burst(rate), bucket.tokens + ((now - bucket.refilledAt) / 1000) * rate)
    bucket.refilledAt = now
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return undefined
    }
    return new SignerError('TooManyRequestsException', `Rate exceeded for ${operation}`)
  }
}

/** One second of requests, and at least one, so a rate under 1/s still lets a request through. */
function burst(rate: number): number {
  return Math.max(1, rate)
}
