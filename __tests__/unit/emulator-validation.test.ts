/** The emulator's pure input handling: field validation, routes and query parsing, validity periods, CLI args. */
import { parseCliArgs } from '../../emulator/cli-args'
import { SignerError } from '../../emulator/errors'
import { matchRoute, parseQuery, ROUTES } from '../../emulator/routes'
import {
  readProfileName,
  readProfileVersion,
  readReason,
  readString,
  readStringMap,
  readTags,
  readTime
} from '../../emulator/validation'
import { addValidity, DEFAULT_VALIDITY, readValidityPeriod } from '../../emulator/validity'

function thrown(fn: () => unknown): SignerError {
  try {
    fn()
  } catch (error) {
    if (error instanceof SignerError) return error
    throw error
  }
  throw new Error('expected a SignerError')
}

describe('field validation', () => {
  test.each(['ab', 'release_signing', 'A1_', 'x'.repeat(64)])('profile name %p is accepted', name => {
    expect(readProfileName({ profileName: name })).toBe(name)
  })

  test.each([
    ['a', 'length greater than or equal to 2'],
    ['x'.repeat(65), 'length less than or equal to 64'],
    ['with-dash', 'regular expression pattern'],
    ['with space', 'regular expression pattern'],
    [undefined, 'Member must not be null'],
    [42, 'Member must be a string']
  ])('profile name %p is a ValidationException (%s)', (name, constraint) => {
    const error = thrown(() => readProfileName({ profileName: name }))
    expect(error.errorType).toBe('ValidationException')
    expect(error.status).toBe(400)
    expect(error.message).toMatch(
      /^1 validation error detected: Value .* at 'profileName' failed to satisfy constraint: /
    )
    expect(error.message).toContain(constraint)
  })

  test('profile versions are exactly 10 alphanumerics; optional unless required', () => {
    expect(readProfileVersion({ profileVersion: 'AbC1234567' }, true)).toBe('AbC1234567')
    expect(readProfileVersion({}, false)).toBeUndefined()
    expect(thrown(() => readProfileVersion({}, true)).message).toContain('must not be null')
    expect(thrown(() => readProfileVersion({ profileVersion: 'AbC123456' }, true)).message).toContain(
      'greater than or equal to 10'
    )
    expect(thrown(() => readProfileVersion({ profileVersion: 'AbC123456_' }, true)).message).toContain(
      'pattern'
    )
  })

  test('a reason is 1 to 500 characters', () => {
    expect(readReason({ reason: 'r' })).toBe('r')
    expect(readReason({ reason: 'r'.repeat(500) })).toHaveLength(500)
    expect(thrown(() => readReason({ reason: '' })).message).toContain('greater than or equal to 1')
    expect(thrown(() => readReason({ reason: 'r'.repeat(501) })).message).toContain(
      'less than or equal to 500'
    )
    expect(thrown(() => readReason({})).message).toContain('must not be null')
  })

  test('enums name their allowed values', () => {
    expect(
      thrown(() => readString({ status: 'Done' }, 'status', { oneOf: ['InProgress', 'Failed'] })).message
    ).toContain('enum value set: [InProgress, Failed]')
  })

  test('timestamps: Dates from the query, epoch seconds from the body, anything else refused', () => {
    expect(readTime({ t: new Date('2026-01-01T00:00:00Z') }, 't')).toBe(Date.UTC(2026, 0, 1))
    expect(readTime({ t: 1767225600.5 }, 't')).toBe(1767225600500)
    expect(thrown(() => readTime({ t: '2026-01-01' }, 't')).message).toContain('timestamp')
    expect(thrown(() => readTime({}, 't', true)).message).toContain('must not be null')
  })

  test('tags: keys must not start with aws:, values are strings, 1 to 200 entries', () => {
    expect(readTags({ tags: { env: 'prod', 'a.b/c:d': '' } })).toEqual({ env: 'prod', 'a.b/c:d': '' })
    expect(thrown(() => readTags({ tags: { 'aws:x': 'y' } })).message).toContain("at 'tags.aws:x.key'")
    expect(thrown(() => readTags({ tags: {} })).message).toContain('greater than or equal to 1')
    expect(thrown(() => readStringMap({ m: { k: 1 } }, 'm')).message).toContain("at 'm.k.value'")
  })
})

describe('routes', () => {
  test.each([
    ['PUT', '/signing-profiles/p1', 'PutSigningProfile', { profileName: 'p1' }],
    ['GET', '/signing-profiles/p1', 'GetSigningProfile', { profileName: 'p1' }],
    ['DELETE', '/signing-profiles/p1', 'CancelSigningProfile', { profileName: 'p1' }],
    ['PUT', '/signing-profiles/p1/revoke', 'RevokeSigningProfile', { profileName: 'p1' }],
    ['POST', '/signing-profiles/p1/permissions', 'AddProfilePermission', { profileName: 'p1' }],
    [
      'DELETE',
      '/signing-profiles/p1/permissions/s1',
      'RemoveProfilePermission',
      { profileName: 'p1', statementId: 's1' }
    ],
    ['POST', '/signing-jobs', 'StartSigningJob', {}],
    ['GET', '/signing-jobs/', 'ListSigningJobs', {}],
    ['GET', '/signing-jobs/j-1', 'DescribeSigningJob', { jobId: 'j-1' }],
    ['PUT', '/signing-jobs/j-1/revoke', 'RevokeSignature', { jobId: 'j-1' }],
    ['GET', '/signing-platforms', 'ListSigningPlatforms', {}],
    [
      'GET',
      '/tags/arn%3Aaws%3Asigner%3Aus-east-1%3A123456789012%3A%2Fsigning-profiles%2Fp1',
      'ListTagsForResource',
      { resourceArn: 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/p1' }
    ],
    [
      'POST',
      '/tags/arn:aws:signer:us-east-1:123456789012:/signing-profiles/p1',
      'TagResource',
      { resourceArn: 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/p1' }
    ]
  ])('%s %s is %s', (method, path, operation, params) => {
    const match = matchRoute(method, path)
    expect(match?.route.operation).toBe(operation)
    expect(match?.params).toEqual(params)
  })

  test('unknown methods, paths and undecodable labels match nothing', () => {
    expect(matchRoute('PATCH', '/signing-profiles/p1')).toBeUndefined()
    expect(matchRoute('GET', '/signing-profiles/p1/other')).toBeUndefined()
    expect(matchRoute('GET', '/')).toBeUndefined()
    expect(matchRoute('GET', '/signing-jobs/%E0%A4%A')).toBeUndefined()
    expect(matchRoute('GET', '/tags/')).toBeUndefined()
  })

  test('every operation of the API has exactly one route', () => {
    expect(new Set(ROUTES.map(route => route.operation)).size).toBe(ROUTES.length)
    expect(ROUTES).toHaveLength(19)
  })

  test('query members are typed: booleans, integers, ISO-8601 times, repeated lists', () => {
    const listJobs = matchRoute('GET', '/signing-jobs')?.route
    const listProfiles = matchRoute('GET', '/signing-profiles')?.route
    if (!listJobs || !listProfiles) throw new Error('routes missing')
    expect(
      parseQuery(
        listJobs,
        new URLSearchParams(
          'isRevoked=true&maxResults=5&signatureExpiresBefore=2030-01-01T00%3A00%3A00Z&unknown=1'
        )
      )
    ).toEqual({ isRevoked: true, maxResults: 5, signatureExpiresBefore: new Date('2030-01-01T00:00:00Z') })
    expect(parseQuery(listProfiles, new URLSearchParams('statuses=Active&statuses=Revoked'))).toEqual({
      statuses: ['Active', 'Revoked']
    })
    expect(thrown(() => parseQuery(listJobs, new URLSearchParams('isRevoked=yes'))).message).toContain(
      "'isRevoked'"
    )
    expect(thrown(() => parseQuery(listJobs, new URLSearchParams('maxResults=1.5'))).message).toContain(
      "'maxResults'"
    )
    expect(
      thrown(() => parseQuery(listJobs, new URLSearchParams('signatureExpiresAfter=soon'))).message
    ).toContain('ISO-8601')
  })
})

describe('signature validity', () => {
  test('defaults to 135 months and rejects more', () => {
    expect(readValidityPeriod({})).toEqual(DEFAULT_VALIDITY)
    expect(readValidityPeriod({ signatureValidityPeriod: { value: 11, type: 'YEARS' } })).toEqual({
      value: 11,
      type: 'YEARS'
    })
    expect(
      thrown(() => readValidityPeriod({ signatureValidityPeriod: { value: 136, type: 'MONTHS' } })).message
    ).toContain('135 months')
    expect(
      thrown(() => readValidityPeriod({ signatureValidityPeriod: { value: 0, type: 'DAYS' } })).message
    ).toContain('greater than or equal to 1')
    expect(
      thrown(() => readValidityPeriod({ signatureValidityPeriod: { value: 1, type: 'WEEKS' } })).message
    ).toContain('enum value set')
  })

  test('adds calendar months and years in UTC, clamping to the last day of a short month', () => {
    const jan31 = Date.UTC(2026, 0, 31, 12)
    expect(new Date(addValidity(jan31, { value: 1, type: 'MONTHS' })).toISOString()).toBe(
      '2026-02-28T12:00:00.000Z'
    )
    expect(new Date(addValidity(jan31, { value: 135, type: 'MONTHS' })).toISOString()).toBe(
      '2037-04-30T12:00:00.000Z'
    )
    expect(new Date(addValidity(jan31, { value: 2, type: 'YEARS' })).toISOString()).toBe(
      '2028-01-31T12:00:00.000Z'
    )
    expect(addValidity(jan31, { value: 10, type: 'DAYS' }) - jan31).toBe(10 * 86_400_000)
  })
})

describe('the emulator CLI arguments', () => {
  test('parses every option', () => {
    expect(
      parseCliArgs([
        '--port',
        '4566',
        '--s3-endpoint=http://127.0.0.1:5000',
        '--account-id',
        '111122223333',
        '--job-duration-ms',
        '0',
        '--state',
        'state.json',
        '--region',
        'eu-west-1'
      ])
    ).toEqual({
      help: false,
      options: {
        port: 4566,
        s3Endpoint: 'http://127.0.0.1:5000',
        accountId: '111122223333',
        jobDurationMs: 0,
        stateFile: 'state.json',
        region: 'eu-west-1'
      }
    })
    expect(parseCliArgs(['--help'])).toEqual({ help: true })
  })

  test.each([
    [['--port', '4566'], '--s3-endpoint is required'],
    [['--s3-endpoint', 'localhost:5000'], 'must be an http(s) URL'],
    [['--s3-endpoint', 'http://x', '--port', '70000'], '--port must be an integer from 0 to 65535'],
    [
      ['--s3-endpoint', 'http://x', '--job-duration-ms', '12abc'],
      "--job-duration-ms must be an integer from 0 to 3600000, got '12abc'"
    ],
    [['--s3-endpoint', 'http://x', '--account-id', '12'], '--account-id must be 12 digits'],
    [['--s3-endpoint', 'http://x', '--state'], '--state needs a value'],
    [['--s3-endpoint', 'http://x', '--verbose'], 'unknown option --verbose']
  ])('%p is refused: %s', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message)
  })
})
