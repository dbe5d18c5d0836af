import * as path from 'node:path'
import { RevokeConfig, SignConfig, buildConfig } from '../../src/config'
import { inputErrorOf, reader } from '../support/config'

const NOW = new Date('2026-11-23T12:00:00Z')
const ENV = { GITHUB_WORKSPACE: '/work/ws' }

function sign(inputs: Record<string, string>): SignConfig {
  const config = buildConfig(
    reader({
      path: 'build/app.zip',
      'profile-name': 'release_signing',
      'source-bucket': 'artifacts',
      ...inputs
    }),
    ENV,
    NOW
  )
  if (config.mode !== 'sign') throw new Error('expected sign mode')
  return config
}

function revoke(inputs: Record<string, string>): RevokeConfig {
  const config = buildConfig(reader({ mode: 'revoke', reason: 'key compromised', ...inputs }), ENV, NOW)
  if (config.mode !== 'revoke') throw new Error('expected revoke mode')
  return config
}

describe('sign config', () => {
  it('fills the documented defaults', () => {
    expect(sign({})).toEqual({
      mode: 'sign',
      region: undefined,
      showSummary: true,
      workspace: '/work/ws',
      patterns: ['build/app.zip'],
      ifNoFilesFound: 'error',
      profileName: 'release_signing',
      profileOwner: undefined,
      sourceBucket: 'artifacts',
      sourcePrefix: 'unsigned/',
      destinationBucket: 'artifacts',
      destinationPrefix: 'signed/',
      outputDir: path.resolve('/work/ws', 'signed'),
      timeoutSeconds: 600,
      wait: true,
      download: true,
      maxConcurrency: 4,
      expectedBucketOwner: undefined
    })
  })

  it('reads every input', () => {
    const config = sign({
      path: 'a.zip\n\n  dist/*.bin  \na.zip',
      'profile-owner': '111122223333',
      'destination-bucket': 'signed-artifacts',
      'source-prefix': 'in/',
      'destination-prefix': 'out/',
      'output-dir': '/work/ws/abs/out',
      'timeout-seconds': '30',
      wait: 'TRUE',
      download: 'false',
      'max-concurrency': '8',
      'expected-bucket-owner': '444455556666',
      'aws-region': 'eu-west-1',
      'show-summary': 'false'
    })
    expect(config).toMatchObject({
      patterns: ['a.zip', 'dist/*.bin'],
      profileOwner: '111122223333',
      destinationBucket: 'signed-artifacts',
      sourcePrefix: 'in/',
      destinationPrefix: 'out/',
      outputDir: '/work/ws/abs/out',
      timeoutSeconds: 30,
      wait: true,
      download: false,
      maxConcurrency: 8,
      expectedBucketOwner: '444455556666',
      region: 'eu-west-1',
      showSummary: false
    })
  })

  it('does not download when it does not wait', () => {
    expect(sign({ wait: 'false' })).toMatchObject({ wait: false, download: false })
  })

  it.each([
    [{ path: '  \n ' }, 'path', /or 'source-object' is required in sign mode/],
    [{ 'profile-name': '' }, 'profile-name', /required/],
    [{ 'profile-name': 'has space' }, 'profile-name', /2-64 letters/],
    [{ 'source-bucket': '' }, 'source-bucket', /required/],
    [{ 'source-bucket': 'Bad_Bucket' }, 'source-bucket', /S3 bucket name/],
    [{ 'destination-bucket': 'x' }, 'destination-bucket', /S3 bucket name/],
    [{ 'source-prefix': '/abs/' }, 'source-prefix', /must not start with '\/'/],
    [{ 'timeout-seconds': '10abc' }, 'timeout-seconds', /whole number/],
    [{ 'timeout-seconds': '0' }, 'timeout-seconds', /from 1 to/],
    [{ 'max-concurrency': '1.5' }, 'max-concurrency', /whole number/],
    [{ 'max-concurrency': '65' }, 'max-concurrency', /from 1 to 64/],
    [{ wait: 'yes' }, 'wait', /'true' or 'false'/],
    [{ download: 'no' }, 'download', /'true' or 'false'/],
    [{ 'profile-owner': '1234' }, 'profile-owner', /12-digit/],
    [{ 'expected-bucket-owner': 'acme' }, 'expected-bucket-owner', /12-digit/],
    [{ 'show-summary': 'maybe' }, 'show-summary', /'true' or 'false'/],
    [{ 'output-dir': '.' }, 'output-dir', /must be a directory inside the workspace \/work\/ws/],
    [{ 'output-dir': '..' }, 'output-dir', /never over the artifacts/],
    [{ 'output-dir': '/tmp/out' }, 'output-dir', /inside the workspace .* got \/tmp\/out/],
    [{ 'output-dir': '../elsewhere' }, 'output-dir', /inside the workspace/]
  ])('rejects %j naming the input', (inputs, input, message) => {
    const error = inputErrorOf(() => sign(inputs))
    expect(error.input).toBe(input)
    expect(error.message).toContain(`'${input}'`)
    expect(error.message).toMatch(message)
  })

  it('rejects an unknown mode', () => {
    const error = inputErrorOf(() => buildConfig(reader({ mode: 'audit' }), ENV, NOW))
    expect(error.input).toBe('mode')
    expect(error.message).toMatch(/'sign', 'revoke', 'permissions', 'merge' or 'verify', got 'audit'/)
  })
})

describe('sign config: source-object', () => {
  const object = (inputs: Record<string, string>): SignConfig =>
    sign({ path: '', 'source-bucket': '', ...inputs })

  it('reads the bucket, the key and the version; the object bucket is the source and destination', () => {
    expect(
      object({ 'source-object': 's3://sam-builds/app/v1/function.zip?versionId=3HL4kqtJ.lcp_X' })
    ).toMatchObject({
      patterns: [],
      sourceObject: { bucket: 'sam-builds', key: 'app/v1/function.zip', versionId: '3HL4kqtJ.lcp_X' },
      sourceBucket: 'sam-builds',
      destinationBucket: 'sam-builds'
    })
    const current = object({
      'source-object': 's3://sam-builds/function.zip',
      'destination-bucket': 'signed-out'
    })
    expect(current.sourceObject).toEqual({ bucket: 'sam-builds', key: 'function.zip' })
    expect(current.destinationBucket).toBe('signed-out')
  })

  it('takes the key literally, as the AWS CLI writes it', () => {
    expect(object({ 'source-object': 's3://b-1/a b/%20x?y.zip' }).sourceObject).toEqual({
      bucket: 'b-1',
      key: 'a b/%20x?y.zip'
    })
  })

  it('accepts source-bucket when it names the same bucket', () => {
    expect(
      object({ 'source-object': 's3://sam-builds/f.zip', 'source-bucket': 'sam-builds' }).sourceBucket
    ).toBe('sam-builds')
  })

  it.each([
    ['https://sam-builds.s3.amazonaws.com/f.zip', /not an s3:\/\/ URI/],
    ['s3://sam-builds', /not an s3:\/\/ URI/],
    ['s3://sam-builds/', /not an s3:\/\/ URI/],
    ['s3://Bad_Bucket/f.zip', /'Bad_Bucket' is not an S3 bucket name/],
    ['s3://sam-builds/dir/', /the key must end with a file name/],
    ['s3://sam-builds/dir/..', /the key must end with a file name/],
    ['s3://sam-builds/f.zip?versionId=', /the versionId must be 1-1024 printable characters/],
    ['s3://sam-builds/f.zip?versionId=a b', /the versionId must be 1-1024 printable characters/],
    ['s3://sam-builds/f.zip?versionId=null', /Signer signs an exact version/]
  ])('rejects %s naming source-object', (uri, message) => {
    const error = inputErrorOf(() => object({ 'source-object': uri }))
    expect(error.input).toBe('source-object')
    expect(error.message).toContain(
      `expected s3://bucket/key or s3://bucket/key?versionId=VERSION, got '${uri}'`
    )
    expect(error.message).toMatch(message)
  })

  it('refuses path and source-object together, and neither, naming both', () => {
    const both = inputErrorOf(() => sign({ 'source-object': 's3://sam-builds/f.zip' }))
    expect(both.message).toBe(
      "Input 'source-object': and 'path' were both given: give path to upload and sign files, or source-object " +
        'to sign an object already in S3, not both'
    )
    const neither = inputErrorOf(() => sign({ path: '' }))
    expect(neither.input).toBe('path')
    expect(neither.message).toContain("Input 'path': or 'source-object' is required in sign mode")
  })

  it("refuses a source-bucket other than the object's", () => {
    const error = inputErrorOf(() =>
      object({ 'source-object': 's3://sam-builds/f.zip', 'source-bucket': 'artifacts' })
    )
    expect(error.input).toBe('source-bucket')
    expect(error.message).toContain("is 'artifacts' but source-object is in bucket 'sam-builds'")
  })
})

describe('sign config: release-upload', () => {
  const onTag = (inputs: Record<string, string>, ref = 'refs/tags/v1.2.3') => {
    const config = buildConfig(
      reader({ path: 'a.zip', 'profile-name': 'release_signing', 'source-bucket': 'artifacts', ...inputs }),
      { ...ENV, GITHUB_REF: ref },
      NOW
    )
    if (config.mode !== 'sign') throw new Error('expected sign mode')
    return config
  }

  it('is off by default, even with a token', () => {
    expect(onTag({}).release).toBeUndefined()
    expect(onTag({ 'github-token': 'ghs_x', 'release-upload': 'false' }).release).toBeUndefined()
  })

  it("holds the run's tag and the token", () => {
    expect(onTag({ 'release-upload': 'true', 'github-token': 'ghs_x' }).release).toEqual({
      tag: 'v1.2.3',
      token: 'ghs_x'
    })
    expect(
      onTag({ 'release-upload': 'true', 'github-token': 'ghs_x' }, 'refs/tags/fw/2.0').release?.tag
    ).toBe('fw/2.0')
  })

  it.each([
    [{ 'release-upload': 'yes' }, 'refs/tags/v1', 'release-upload', /'true' or 'false'/],
    [{ 'release-upload': 'true' }, 'refs/tags/v1', 'github-token', /is required with release-upload: true/],
    [
      { 'release-upload': 'true', 'github-token': 'ghs_x', download: 'false' },
      'refs/tags/v1',
      'release-upload',
      /needs download: true and wait: true/
    ],
    [
      { 'release-upload': 'true', 'github-token': 'ghs_x', wait: 'false' },
      'refs/tags/v1',
      'release-upload',
      /needs download: true and wait: true/
    ],
    [
      { 'release-upload': 'true', 'github-token': 'ghs_x' },
      'refs/heads/main',
      'release-upload',
      /needs a run on a tag .*this run is on 'refs\/heads\/main'/
    ],
    [
      { 'release-upload': 'true', 'github-token': 'ghs_x' },
      'refs/tags/',
      'release-upload',
      /needs a run on a tag/
    ]
  ])('rejects %j on %s naming %s', (inputs, ref, input, message) => {
    const error = inputErrorOf(() => onTag(inputs, ref))
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
    expect(error.message).not.toContain('ghs_x')
  })
})

describe('revoke config', () => {
  it('splits job ids on commas and newlines, dropping blanks and duplicates', () => {
    const config = revoke({ 'job-id': 'a-1, b-2\n\nc-3,a-1,', 'job-owner': '111122223333' })
    expect(config).toMatchObject({
      jobIds: ['a-1', 'b-2', 'c-3'],
      jobOwner: '111122223333',
      dryRun: false,
      profileRevocation: undefined,
      jobSearch: undefined
    })
  })

  it('revokes a profile version from now when no effective time is given', () => {
    const config = revoke({ 'profile-name': 'release_signing', 'profile-version': 'AbC123dEf0' })
    expect(config.profileRevocation).toEqual({
      profileName: 'release_signing',
      profileVersion: 'AbC123dEf0',
      effectiveTime: NOW
    })
    expect(config.jobSearch).toBeUndefined()
  })

  it('takes an explicit effective time as that instant', () => {
    const config = revoke({
      'profile-name': 'release_signing',
      'profile-version': 'AbC123dEf0',
      'effective-time': '2026-11-20T08:30:00+02:00'
    })
    expect(config.profileRevocation?.effectiveTime.toISOString()).toBe('2026-11-20T06:30:00.000Z')
  })

  it('reads a compact zone offset and fractional seconds', () => {
    const config = revoke({
      'profile-name': 'release_signing',
      'profile-version': 'AbC123dEf0',
      'effective-time': '2026-11-20T08:30:00.250+0200'
    })
    expect(config.profileRevocation?.effectiveTime.toISOString()).toBe('2026-11-20T06:30:00.250Z')
  })

  it('searches a time window, narrowed by profile version, without revoking the profile', () => {
    const config = revoke({
      'profile-name': 'release_signing',
      'profile-version': 'AbC123dEf0',
      'signed-after': '2026-11-01',
      'signed-before': '2026-11-02T00:00:00Z',
      'dry-run': 'true'
    })
    expect(config.jobSearch).toEqual({
      profileName: 'release_signing',
      profileVersion: 'AbC123dEf0',
      signedAfter: new Date('2026-11-01T00:00:00Z'),
      signedBefore: new Date('2026-11-02T00:00:00Z')
    })
    expect(config.profileRevocation).toBeUndefined()
    expect(config.dryRun).toBe(true)
  })

  it('revokes the profile as well as the window when effective-time is given', () => {
    const config = revoke({
      'profile-name': 'release_signing',
      'profile-version': 'AbC123dEf0',
      'signed-after': '2026-11-01T00:00:00Z',
      'effective-time': '2026-11-01T00:00:00Z'
    })
    expect(config.profileRevocation?.effectiveTime.toISOString()).toBe('2026-11-01T00:00:00.000Z')
    expect(config.jobSearch?.signedAfter?.toISOString()).toBe('2026-11-01T00:00:00.000Z')
  })

  it('accepts an effective time of exactly now, and refuses one a millisecond later before any AWS call', () => {
    const base = { 'profile-name': 'release_signing', 'profile-version': 'AbC123dEf0' }
    expect(revoke({ ...base, 'effective-time': NOW.toISOString() }).profileRevocation?.effectiveTime).toEqual(
      NOW
    )
    const error = inputErrorOf(() => revoke({ ...base, 'effective-time': '2026-11-23T12:00:00.001Z' }))
    expect(error.input).toBe('effective-time')
    expect(error.message).toBe(
      "Input 'effective-time': must not be in the future: AWS Signer revokes a profile version only from a " +
        'time in the past (got 2026-11-23T12:00:00.001Z, now is 2026-11-23T12:00:00.000Z)'
    )
  })

  it('refuses a future effective time given with a time window too', () => {
    const error = inputErrorOf(() =>
      revoke({
        'profile-name': 'release_signing',
        'profile-version': 'AbC123dEf0',
        'signed-after': '2026-11-01',
        'effective-time': '2026-11-24'
      })
    )
    expect(error.input).toBe('effective-time')
  })

  it('accepts a reason of exactly 500 characters', () => {
    expect(revoke({ reason: 'x'.repeat(500), 'job-id': 'a' }).reason).toHaveLength(500)
  })

  it.each([
    [{ reason: '', 'job-id': 'a' }, 'reason', /required in revoke mode/],
    [{ reason: 'x'.repeat(501), 'job-id': 'a' }, 'reason', /1-500 characters, got 501/],
    [{ reason: 'fix\n::error::forged', 'job-id': 'a' }, 'reason', /one line .* got 'fix\\n::error::forged'/],
    [{ reason: 'bell\u0007', 'job-id': 'a' }, 'reason', /without control characters/],
    [{}, 'job-ids', /nothing to revoke/],
    [{ 'job-id': ' , \n ,' }, 'job-id', /lists no job id/],
    [{ 'job-id': 'a b' }, 'job-id', /not a signing job id/],
    [{ 'job-id': 'a', 'job-owner': 'me' }, 'job-owner', /12-digit/],
    [{ 'profile-version': 'AbC123dEf0' }, 'profile-name', /required with profile-version/],
    [{ 'signed-after': '2026-11-01' }, 'profile-name', /required with signed-after/],
    [{ 'profile-name': 'p1', 'profile-version': 'short' }, 'profile-version', /10 letters or digits/],
    [{ 'profile-name': 'p1' }, 'profile-version', /required with profile-name/],
    [
      { 'profile-name': 'p1', 'effective-time': '2026-11-01T00:00:00Z' },
      'profile-version',
      /required with effective-time/
    ],
    [
      { 'profile-name': 'p1', 'profile-version': 'AbC123dEf0', 'effective-time': 'yesterday' },
      'effective-time',
      /ISO-8601/
    ],
    [{ 'profile-name': 'p1', 'signed-after': '2026-11-01T10:00' }, 'signed-after', /with a zone/],
    [{ 'profile-name': 'p1', 'signed-after': '2026-13-45' }, 'signed-after', /ISO-8601/],
    [
      { 'profile-name': 'p1', 'signed-after': '2026-11-02', 'signed-before': '2026-11-01' },
      'signed-before',
      /later than signed-after/
    ],
    [{ 'job-id': 'a', 'dry-run': 'sure' }, 'dry-run', /'true' or 'false'/]
  ])('rejects %j naming the input', (inputs, input, message) => {
    const error = inputErrorOf(() => revoke(inputs))
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
  })
})
