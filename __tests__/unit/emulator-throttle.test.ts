import { parseCliArgs } from '../../emulator/cli-args'
import { parseRateLimitArg, parseRateLimits, Throttle } from '../../emulator/throttle'

function throttleAt(limits: Record<string, number>) {
  const clock = { now: 0 }
  const throttle = new Throttle(
    () => limits,
    () => clock.now
  )
  const allowed = (accountId: string, operation: string, calls: number): number =>
    Array.from({ length: calls }).filter(() => throttle.check(accountId, operation) === undefined).length
  return { clock, throttle, allowed }
}

describe('the emulator throttle: a token bucket per account and operation', () => {
  test('lets a one-second burst through, then the rate, and answers the rest 429 TooManyRequestsException', () => {
    const { clock, throttle, allowed } = throttleAt({ RevokeSignature: 10 })
    expect(allowed('111122223333', 'RevokeSignature', 15)).toBe(10)
    const error = throttle.check('111122223333', 'RevokeSignature')
    expect(error).toMatchObject({ errorType: 'TooManyRequestsException', status: 429 })
    clock.now += 500
    expect(allowed('111122223333', 'RevokeSignature', 10)).toBe(5)
    // Idle for a minute: the bucket holds one second of burst, no more.
    clock.now += 60_000
    expect(allowed('111122223333', 'RevokeSignature', 30)).toBe(10)
  })

  test('keeps each account and each operation apart, and leaves unlisted operations alone', () => {
    const { allowed } = throttleAt({ RevokeSignature: 2, StartSigningJob: 4 })
    expect(allowed('111122223333', 'RevokeSignature', 5)).toBe(2)
    expect(allowed('444455556666', 'RevokeSignature', 5)).toBe(2)
    expect(allowed('111122223333', 'StartSigningJob', 5)).toBe(4)
    expect(allowed('111122223333', 'DescribeSigningJob', 100)).toBe(100)
  })

  test('a rate under one a second still lets one request through, then one every 1/rate seconds', () => {
    const { clock, allowed } = throttleAt({ ListSigningJobs: 0.5 })
    expect(allowed('111122223333', 'ListSigningJobs', 3)).toBe(1)
    clock.now += 1000
    expect(allowed('111122223333', 'ListSigningJobs', 1)).toBe(0)
    clock.now += 1000
    expect(allowed('111122223333', 'ListSigningJobs', 1)).toBe(1)
  })

  test('a changed limit applies at once, starting from a full burst', () => {
    const limits: Record<string, number> = { StartSigningJob: 1 }
    const throttle = new Throttle(
      () => limits,
      () => 0
    )
    expect(throttle.check('111122223333', 'StartSigningJob')).toBeUndefined()
    expect(throttle.check('111122223333', 'StartSigningJob')).toBeDefined()
    limits.StartSigningJob = 3
    expect([1, 2, 3, 4].map(() => throttle.check('111122223333', 'StartSigningJob') === undefined)).toEqual([
      true,
      true,
      true,
      false
    ])
    delete limits.StartSigningJob
    expect(throttle.check('111122223333', 'StartSigningJob')).toBeUndefined()
  })

  test('limits are checked: known operations, positive rates', () => {
    expect(parseRateLimits({ RevokeSignature: 10, StartSigningJob: 0.5 })).toEqual({
      RevokeSignature: 10,
      StartSigningJob: 0.5
    })
    expect(parseRateLimits({})).toEqual({})
    expect(() => parseRateLimits({ RevokeSignatures: 10 })).toThrow('unknown operation RevokeSignatures')
    expect(() => parseRateLimits({ RevokeSignature: 0 })).toThrow('above 0')
    expect(() => parseRateLimits({ RevokeSignature: '10' })).toThrow('above 0')
    expect(() => parseRateLimits([])).toThrow('rateLimits must map operation names')
    expect(parseRateLimitArg('StartSigningJob=4')).toEqual(['StartSigningJob', 4])
    expect(() => parseRateLimitArg('StartSigningJob')).toThrow('OPERATION=REQUESTS_PER_SECOND')
    expect(() => parseRateLimitArg('StartSigningJob=-1')).toThrow('OPERATION=REQUESTS_PER_SECOND')
  })

  test('the CLI takes --rate-limit OP=N, repeated', () => {
    expect(
      parseCliArgs([
        '--s3-endpoint',
        'http://127.0.0.1:5000',
        '--rate-limit',
        'StartSigningJob=4',
        '--rate-limit=RevokeSignature=10'
      ])
    ).toEqual({
      help: false,
      options: {
        port: 4566,
        s3Endpoint: 'http://127.0.0.1:5000',
        rateLimits: { StartSigningJob: 4, RevokeSignature: 10 }
      }
    })
    expect(() => parseCliArgs(['--s3-endpoint', 'http://x', '--rate-limit', 'Nope=1'])).toThrow(
      'unknown operation Nope'
    )
  })
})
