/** Pagination, ListSigningJobs filters, faults and the call log: pure parts of the emulator. */
import { CallLog } from '../../emulator/call-log'
import { FaultRegistry, parseFault } from '../../emulator/faults'
import { filterScope, jobMatches } from '../../emulator/filters'
import { identityFor } from '../../emulator/identity'
import { newestFirstKey, paginate } from '../../emulator/pagination'
import { parseProfileArn } from '../../emulator/arns'
import { JobRecord } from '../../emulator/state'

describe('paginate', () => {
  const letters = ['d', 'a', 'c', 'b', 'e']

  test('pages through every item once, in key order, with a token while more remain', () => {
    const seen: string[] = []
    let token: string | undefined
    let pages = 0
    do {
      const page = paginate(letters, x => x, { maxResults: 2, nextToken: token, scope: 's' })
      seen.push(...page.items)
      token = page.nextToken
      pages++
    } while (token)
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(pages).toBe(3)
  })

  test('no token when everything fits, including an exact fit', () => {
    expect(paginate(letters, x => x, { maxResults: 5, scope: 's' }).nextToken).toBeUndefined()
    expect(paginate([], (x: string) => x, { maxResults: 1, scope: 's' })).toEqual({ items: [] })
  })

  test('items added before the cursor neither repeat nor shift the next page', () => {
    const first = paginate(['b', 'd', 'f'], x => x, { maxResults: 2, scope: 's' })
    expect(first.items).toEqual(['b', 'd'])
    const second = paginate(['a', 'b', 'c', 'd', 'f'], x => x, {
      maxResults: 2,
      nextToken: first.nextToken,
      scope: 's'
    })
    expect(second.items).toEqual(['f'])
  })

  test('a garbage token, or a token from another query, is a ValidationException', () => {
    const first = paginate(letters, x => x, { maxResults: 1, scope: 'one' })
    expect(() => paginate(letters, x => x, { maxResults: 1, nextToken: 'garbage', scope: 'one' })).toThrow(
      'is not valid'
    )
    expect(() =>
      paginate(letters, x => x, { maxResults: 1, nextToken: first.nextToken, scope: 'two' })
    ).toThrow('does not belong to this request')
  })

  test('newestFirstKey orders newer times first, then later creation first', () => {
    const keys = [
      newestFirstKey(1000, 1, 'a'),
      newestFirstKey(2000, 2, 'b'),
      newestFirstKey(2000, 3, 'c')
    ].sort()
    expect(keys.map(key => key.slice(-1))).toEqual(['c', 'b', 'a'])
  })

  test('filterScope ignores absent filters and member order', () => {
    expect(filterScope('Op', { a: 1, b: undefined, c: 'x' })).toBe(filterScope('Op', { c: 'x', a: 1 }))
    expect(filterScope('Op', { a: 1 })).not.toBe(filterScope('Op', { a: 2 }))
  })
})

describe('jobMatches', () => {
  const job = (overrides: Partial<JobRecord>): JobRecord =>
    ({
      jobId: 'j',
      status: 'Succeeded',
      platformId: 'AWSLambda-SHA384-ECDSA',
      requestedBy: 'arn:aws:iam::111122223333:user/ci',
      jobInvoker: '111122223333',
      signatureExpiresAt: Date.UTC(2035, 0, 1),
      ...overrides
    }) as JobRecord

  test('each filter alone', () => {
    expect(jobMatches(job({}), {})).toBe(true)
    expect(jobMatches(job({}), { status: 'Failed' })).toBe(false)
    expect(jobMatches(job({}), { platformId: 'AmazonFreeRTOS-Default' })).toBe(false)
    expect(jobMatches(job({}), { requestedBy: 'arn:aws:iam::111122223333:user/ci' })).toBe(true)
    expect(jobMatches(job({}), { jobInvoker: '999999999999' })).toBe(false)
    expect(jobMatches(job({}), { isRevoked: false })).toBe(true)
    expect(
      jobMatches(job({ revocation: { reason: 'r', revokedAt: 1, revokedBy: 'x' } }), { isRevoked: true })
    ).toBe(true)
    expect(jobMatches(job({}), { isRevoked: true })).toBe(false)
  })

  test('expiry bounds are strict, and a job without signatureExpiresAt matches neither', () => {
    const at = Date.UTC(2035, 0, 1)
    expect(jobMatches(job({}), { signatureExpiresBefore: at + 1 })).toBe(true)
    expect(jobMatches(job({}), { signatureExpiresBefore: at })).toBe(false)
    expect(jobMatches(job({}), { signatureExpiresAfter: at - 1 })).toBe(true)
    expect(jobMatches(job({}), { signatureExpiresAfter: at })).toBe(false)
    expect(jobMatches(job({ signatureExpiresAt: undefined }), { signatureExpiresAfter: 0 })).toBe(false)
    expect(jobMatches(job({}), { signatureExpiresAfter: at - 1, signatureExpiresBefore: at + 1 })).toBe(true)
  })
})

describe('faults', () => {
  test('a counted throttle answers N times, then drops; * matches any operation', () => {
    const faults = new FaultRegistry()
    faults.add(parseFault({ type: 'throttle', operation: 'StartSigningJob', count: 2 }))
    expect(faults.errorFor('DescribeSigningJob')).toBeUndefined()
    expect(faults.errorFor('StartSigningJob')?.status).toBe(429)
    expect(faults.errorFor('StartSigningJob')?.errorType).toBe('TooManyRequestsException')
    expect(faults.errorFor('StartSigningJob')).toBeUndefined()
    expect(faults.list()).toEqual([])
    faults.add(parseFault({ type: 'serverError', operation: '*' }))
    expect(faults.errorFor('Anything')?.status).toBe(500)
    expect(faults.errorFor('Anything')?.errorType).toBe('InternalServiceErrorException')
    faults.clear()
    expect(faults.errorFor('Anything')).toBeUndefined()
  })

  test('latency faults add up and are consumed', () => {
    const faults = new FaultRegistry()
    faults.add(parseFault({ type: 'latency', operation: 'A', ms: 100, count: 1 }))
    faults.add(parseFault({ type: 'latency', operation: '*', ms: 20 }))
    expect(faults.latencyFor('A')).toBe(120)
    expect(faults.latencyFor('A')).toBe(20)
  })

  test('job plans: fail wins over hang for its profile; hang without a profile applies to all', () => {
    const faults = new FaultRegistry()
    faults.add(parseFault({ type: 'hangJobs' }))
    faults.add(parseFault({ type: 'failJobs', profileName: 'p', statusReason: 'why', count: 1 }))
    expect(faults.planJob('p')).toEqual({ outcome: 'fail', statusReason: 'why' })
    expect(faults.planJob('p')).toEqual({ outcome: 'hang' })
    expect(faults.planJob('q')).toEqual({ outcome: 'hang' })
    faults.clear()
    expect(faults.planJob('p')).toEqual({ outcome: 'succeed' })
  })

  test.each([
    [{ type: 'throttle' }, 'needs operation'],
    [{ type: 'throttle', operation: 'x y' }, 'needs operation'],
    [{ type: 'throttle', operation: 'A', count: 0 }, 'count must be a positive integer'],
    [{ type: 'error', operation: 'A', errorType: 'Oops' }, 'errorType must be one of'],
    [
      { type: 'error', operation: 'A', errorType: 'ConflictException', status: 200 },
      'status must be an HTTP error status'
    ],
    [{ type: 'latency', operation: 'A' }, 'ms must be a number'],
    [{ type: 'failJobs' }, 'failJobs needs profileName'],
    ['throttle', 'must be a JSON object']
  ])('parseFault(%p) says %s', (fault, message) => {
    expect(() => parseFault(fault)).toThrow(message)
  })
})

describe('identities, ARNs and the call log', () => {
  const authorization =
    'AWS4-HMAC-SHA256 Credential=AKIDOTHER/20260101/us-east-1/signer/aws4_request, SignedHeaders=host, Signature=abc'

  test('the access key in the Authorization header picks the identity; unknown keys are the default account', () => {
    const config = { accountId: '123456789012', identities: { AKIDOTHER: { accountId: '111122223333' } } }
    expect(identityFor(config, authorization)).toEqual({
      accountId: '111122223333',
      arn: 'arn:aws:iam::111122223333:user/emulator'
    })
    expect(identityFor(config, undefined).accountId).toBe('123456789012')
    expect(
      identityFor(
        { ...config, identities: { AKIDOTHER: { accountId: '111122223333', arn: 'arn:x' } } },
        authorization
      ).arn
    ).toBe('arn:x')
  })

  test('profile ARNs parse with and without a version', () => {
    expect(parseProfileArn('arn:aws:signer:us-east-1:123456789012:/signing-profiles/p_1')).toEqual({
      region: 'us-east-1',
      owner: '123456789012',
      profileName: 'p_1'
    })
    expect(
      parseProfileArn('arn:aws:signer:us-east-1:123456789012:/signing-profiles/p_1/AbCdEf1234')
        ?.profileVersion
    ).toBe('AbCdEf1234')
    expect(parseProfileArn('arn:aws:s3:::bucket')).toBeUndefined()
  })

  test('the call log filters by operation and clears', () => {
    const log = new CallLog()
    log.record({ operation: 'A', input: {}, status: 200, time: 't', durationMs: 1 })
    log.record({
      operation: 'B',
      input: {},
      status: 429,
      errorType: 'TooManyRequestsException',
      time: 't',
      durationMs: 1
    })
    expect(log.list('B').map(call => call.status)).toEqual([429])
    expect(log.list()).toHaveLength(2)
    log.clear()
    expect(log.list()).toEqual([])
  })
})
