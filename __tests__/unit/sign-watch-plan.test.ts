import {
  AccessDeniedException,
  InternalServiceErrorException,
  ResourceNotFoundException,
  TooManyRequestsException,
  ValidationException
} from '@aws-sdk/client-signer'
import {
  isCrowded,
  isRetriedBySdk,
  leastRecentlyPolled,
  listFilter,
  listingPays,
  maxListingPages,
  nextBackoffFactor,
  nextIntervalMs,
  shouldList
} from '../../src/sign/watch-plan'

const metadata = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } })

describe('isRetriedBySdk', () => {
  it('is true for what the SDK retries: throttling, 5xx, a reset connection', () => {
    expect(isRetriedBySdk(new TooManyRequestsException({ message: 'slow', ...metadata(429) }))).toBe(true)
    expect(isRetriedBySdk(new InternalServiceErrorException({ message: 'boom', ...metadata(500) }))).toBe(
      true
    )
    expect(isRetriedBySdk(Object.assign(new Error('bad gateway'), metadata(502)))).toBe(true)
    expect(isRetriedBySdk(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true)
  })

  it('is false for what retrying cannot fix: AccessDenied, a job that is gone, a bad request, a non-error', () => {
    expect(isRetriedBySdk(new AccessDeniedException({ message: 'denied', ...metadata(403) }))).toBe(false)
    expect(isRetriedBySdk(new ResourceNotFoundException({ message: 'gone', ...metadata(404) }))).toBe(false)
    expect(isRetriedBySdk(new ValidationException({ message: 'bad', ...metadata(400) }))).toBe(false)
    expect(isRetriedBySdk('a string')).toBe(false)
    expect(isRetriedBySdk(undefined)).toBe(false)
  })
})

describe('listFilter', () => {
  const by = (requestedBy?: string, jobInvoker?: string) => ({ requestedBy, jobInvoker })
  it('filters on who started the jobs when every job agrees, else on the account, else not at all', () => {
    expect(listFilter([by('arn:a', '1'), by('arn:a', '1')])).toEqual({ requestedBy: 'arn:a' })
    expect(listFilter([by('arn:a', '1'), by('arn:b', '1')])).toEqual({ jobInvoker: '1' })
    expect(listFilter([by('arn:a', '1'), by(undefined, '1')])).toEqual({ jobInvoker: '1' })
    expect(listFilter([by('arn:a', '1'), by('arn:b', '2')])).toEqual({})
    expect(listFilter([by(), by()])).toEqual({})
    expect(listFilter([])).toEqual({})
  })
})

describe('pacing', () => {
  it('lists only for more jobs than the describe budget, and only while listing works', () => {
    expect([1, 2, 3].map(jobs => shouldList(jobs, true))).toEqual([false, false, true])
    expect(shouldList(50, false)).toBe(false)
  })

  it('doubles the interval on each throttled pass up to 8 s, back to 1 s after a clean one', () => {
    const factors = [true, true, true, true, false].reduce<number[]>(
      (seen, throttled) => [...seen, nextBackoffFactor(seen.at(-1) ?? 1, throttled)],
      []
    )
    expect(factors).toEqual([2, 4, 8, 8, 1])
    expect(nextIntervalMs(1, 1)).toBe(1000)
    expect(nextIntervalMs(4, 1)).toBe(4000)
  })

  it('stretches the interval so that the waiting stays within 2 calls a second', () => {
    expect(nextIntervalMs(1, 2)).toBe(1000)
    expect(nextIntervalMs(1, 5)).toBe(2500)
  })

  it('lists only while a listing costs fewer pages than describing every job would', () => {
    expect(maxListingPages(3)).toBe(2)
    expect(maxListingPages(6)).toBe(5)
    expect(maxListingPages(1)).toBe(1)
    expect(listingPays({ pages: 1, complete: true, seen: 6 }, 6)).toBe(true)
    expect(listingPays({ pages: 5, complete: true, seen: 0 }, 6)).toBe(true)
    expect(listingPays({ pages: 6, complete: true, seen: 6 }, 6)).toBe(false)
    // Stopped before seeing every job: it answers only when it saw most of them.
    expect(listingPays({ pages: 5, complete: false, seen: 5 }, 6)).toBe(true)
    expect(listingPays({ pages: 5, complete: false, seen: 2 }, 6)).toBe(false)
  })

  it('calls a listing crowded when others outnumber the run and are more than a handful', () => {
    expect(isCrowded(9, 3)).toBe(false)
    expect(isCrowded(10, 3)).toBe(true)
    expect(isCrowded(30, 40)).toBe(false)
    expect(isCrowded(200, 6)).toBe(true)
  })

  it('describes the jobs read longest ago first', () => {
    const jobs = [
      { id: 'a', polledAt: 30 },
      { id: 'b', polledAt: 10 },
      { id: 'c', polledAt: 20 }
    ]
    expect(leastRecentlyPolled(jobs, 2).map(job => job.id)).toEqual(['b', 'c'])
  })
})
