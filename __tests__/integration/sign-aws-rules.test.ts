/**
 * AWS's signing and S3 rules, through the bundled action against the local stack: S3 without
 * s3:ListBucket, Regions, profiles shared for signing only, empty artifacts, and reuse proven by S3's own
 * checksum rather than by metadata. See "Signing, S3 and Regions" in emulator/README.md.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client
} from '@aws-sdk/client-s3'
import { SignedObjectEnvelope } from '../../emulator/crypto/envelope'
import { LocalStack, startStack } from '../../scripts/stack'
import { ActionRun, errorLines, makeWorkspace } from '../../scripts/run-action'
import {
  PROFILE_OWNER_ACCOUNT as OWNER_ACCOUNT,
  operations,
  putOwnerProfile,
  sha256,
  sign,
  versionsUnder
} from './sign-support'
import { lambdaZip, zipArchive } from '../../emulator/testing'

const EU_BUCKET = 'eu-artifacts'

/** The signed copy the action downloaded: the emulator's envelope, holding the exact bytes it signed. */
function signedEnvelope(run: ActionRun): SignedObjectEnvelope {
  return JSON.parse(fs.readFileSync(run.outputs['signed-path'], 'utf8')) as SignedObjectEnvelope
}

/** Every object version in the stack's buckets, to show that a refused run uploaded nothing. */
async function allVersions(stack: LocalStack): Promise<number> {
  const counts = await Promise.all([stack.bucket, EU_BUCKET].map(b => versionsUnder(stack, '', b)))
  return counts.reduce((total, versions) => total + versions.length, 0)
}

/** Nothing uploaded to any bucket, no job started: only the preflight reads. */
async function expectNothingDone(stack: LocalStack, run: ActionRun, versionsBefore: number): Promise<void> {
  expect(run.exitCode).toBe(1)
  expect(await allVersions(stack)).toBe(versionsBefore)
  expect(await operations(stack)).not.toContain('StartSigningJob')
  expect(run.outputs).toEqual({})
}

describe('sign mode against S3 and Signer as AWS documents them', () => {
  let stack: LocalStack
  beforeAll(async () => {
    stack = await startStack({ jobDurationMs: 100 })
    await stack.s3.send(
      new CreateBucketCommand({
        Bucket: EU_BUCKET,
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' }
      })
    )
    await stack.s3.send(
      new PutBucketVersioningCommand({ Bucket: EU_BUCKET, VersioningConfiguration: { Status: 'Enabled' } })
    )
    // A profile of another account shared for signing only: signer:StartSigningJob, not GetSigningProfile.
    await putOwnerProfile(stack, 'sign_only_profile', ['signer:StartSigningJob'])
  })
  afterAll(async () => {
    await stack?.stop()
  })
  beforeEach(async () => {
    await stack.emulator.admin.clearFaults()
    await stack.emulator.admin.clearCalls()
  })

  describe('Regions: cross-Region signing is refused in preflight', () => {
    it('a source bucket in another Region, named with its Region and the profile Region', async () => {
      const before = await allVersions(stack)
      const run = await sign(
        stack,
        { path: 'app.zip', 'source-bucket': EU_BUCKET },
        { workspace: makeWorkspace({ 'app.zip': lambdaZip('regional') }) }
      )
      await expectNothingDone(stack, run, before)
      expect(errorLines(run)).toEqual([
        `::error::source-bucket '${EU_BUCKET}' is in eu-west-1, but signing profile 'release_signing' is in ` +
          'us-east-1 (aws-region): Signer does not sign across Regions. Use a bucket in us-east-1, or a profile ' +
          'in eu-west-1 with aws-region: eu-west-1'
      ])
    })

    it('a destination bucket in another Region', async () => {
      const before = await allVersions(stack)
      const run = await sign(
        stack,
        { path: 'app.zip', 'destination-bucket': EU_BUCKET },
        { workspace: makeWorkspace({ 'app.zip': lambdaZip('regional') }) }
      )
      await expectNothingDone(stack, run, before)
      expect(errorLines(run).join('\n')).toContain(
        `destination-bucket '${EU_BUCKET}' is in eu-west-1, but signing profile 'release_signing' is in us-east-1`
      )
    })

    it('a destination bucket that does not exist ("You must create an S3 destination bucket")', async () => {
      const before = await allVersions(stack)
      const run = await sign(
        stack,
        { path: 'app.zip', 'destination-bucket': 'no-such-bucket' },
        { workspace: makeWorkspace({ 'app.zip': lambdaZip('nowhere to go') }) }
      )
      await expectNothingDone(stack, run, before)
      expect(errorLines(run)).toEqual([
        "::error::destination-bucket 'no-such-bucket' does not exist (HeadBucket: NotFound (HTTP 404)): " +
          'check the name and aws-region'
      ])
    })

    it('buckets in the profile Region pass, and the log says what was checked', async () => {
      const run = await sign(
        stack,
        { path: 'app.zip' },
        { workspace: makeWorkspace({ 'app.zip': lambdaZip('here') }) }
      )
      expect(run.exitCode).toBe(0)
      expect(run.stdout).toContain(
        'Preflight passed: profile Active on AWSLambda-SHA384-ECDSA, sizes within 250 MB, zip files with entries; ' +
          'source-bucket in us-east-1, source bucket versioned'
      )
    })
  })

  it('an empty artifact is refused in preflight, naming the file', async () => {
    const before = await allVersions(stack)
    const run = await sign(
      stack,
      { path: 'dist/*' },
      { workspace: makeWorkspace({ 'dist/app.zip': lambdaZip('fine'), 'dist/empty.zip': '' }) }
    )
    await expectNothingDone(stack, run, before)
    expect(errorLines(run)).toEqual([
      '::error::Empty artifact (0 bytes): dist/empty.zip; Signer cannot sign an empty file: check the build step that writes it'
    ])
  })

  describe('a profile shared from another account', () => {
    it('shared for StartSigningJob only: a warning, and the job signs', async () => {
      const run = await sign(
        stack,
        { path: 'app.zip', 'profile-name': 'sign_only_profile', 'profile-owner': OWNER_ACCOUNT },
        { workspace: makeWorkspace({ 'app.zip': lambdaZip('signed across accounts') }) }
      )
      expect(run.exitCode).toBe(0)
      expect(run.stdout).toContain(
        `::warning::Cannot read signing profile 'sign_only_profile' owned by ${OWNER_ACCOUNT} ` +
          '(GetSigningProfile: AccessDeniedException: '
      )
      expect(run.stdout).toContain('Not checked: that the profile is Active')
      expect(run.outputs.status).toBe('Succeeded')
      expect(run.outputs['job-owner']).toBe(OWNER_ACCOUNT)
      const calls = await stack.emulator.admin.calls()
      expect(calls.slice(0, 2).map(call => [call.operation, call.status])).toEqual([
        ['GetSigningProfile', 403],
        ['StartSigningJob', 200]
      ])
      expect(new Set(calls.slice(2).map(call => call.operation))).toEqual(new Set(['DescribeSigningJob']))
    })

    it("the caller's own profile: a denied GetSigningProfile stays an error, before any upload", async () => {
      await stack.emulator.admin.injectFault({
        type: 'error',
        operation: 'GetSigningProfile',
        errorType: 'AccessDeniedException',
        status: 403,
        message: 'not authorized to perform signer:GetSigningProfile'
      })
      const before = await allVersions(stack)
      const run = await sign(
        stack,
        { path: 'app.zip' },
        { workspace: makeWorkspace({ 'app.zip': lambdaZip('mine') }) }
      )
      await expectNothingDone(stack, run, before)
      expect(errorLines(run)).toEqual([
        "::error::Could not check signing profile 'release_signing': AccessDeniedException: not authorized to perform signer:GetSigningProfile"
      ])
    })
  })

  describe("reuse trusts S3's checksum of the bytes, not metadata", () => {
    const bytes = lambdaZip('the real artifact')
    const key = `unsigned/${sha256(bytes)}/app.zip`

    it.each([
      [
        "with S3's SHA-256 checksum of its own bytes",
        { ChecksumAlgorithm: 'SHA256' as const },
        'holds other bytes'
      ],
      ['without a checksum', {}, 'has no SHA-256 checksum from S3']
    ])(
      'a planted object (same key, size and x-amz-meta-sha256, other bytes) %s is not signed',
      async (_, checksum, reason) => {
        const planted = lambdaZip('PLANTED bytes !!!')
        expect(planted.length).toBe(bytes.length)
        const put = await stack.s3.send(
          new PutObjectCommand({
            Bucket: stack.bucket,
            Key: key,
            Body: planted,
            Metadata: { sha256: sha256(bytes) },
            ...checksum
          })
        )
        const run = await sign(stack, { path: 'app.zip' }, { workspace: makeWorkspace({ 'app.zip': bytes }) })
        expect(run.exitCode).toBe(0)
        expect(run.stdout).toContain(`s3://${stack.bucket}/${key} version ${put.VersionId} ${reason}`)
        expect(run.outputs['source-version-id']).not.toBe(put.VersionId)
        // What Signer signed is the artifact, not the planted bytes.
        const envelope = signedEnvelope(run)
        expect(envelope.payloadSha256).toBe(sha256(bytes))
        expect(Buffer.from(envelope.payload, 'base64').equals(bytes)).toBe(true)
        expect(envelope.source.version).toBe(run.outputs['source-version-id'])
      }
    )

    it('a re-run reuses the version whose checksum proves the bytes, multipart included', async () => {
      // 6 MiB + 1: two parts of lib-storage's 5 MiB, so S3 keeps a COMPOSITE checksum.
      const big = zipArchive({ 'image.bin': Buffer.alloc(6 * 1024 * 1024 + 1, 7) })
      const workspace = makeWorkspace({ 'fw/image.bin': big, 'fw/small.bin': lambdaZip('small firmware') })
      const first = await sign(stack, { path: 'fw/*.bin', 'source-prefix': 'reuse/' }, { workspace })
      expect(first.exitCode).toBe(0)
      const bigKey = `reuse/${sha256(big)}/image.bin`
      const stored = await stack.s3.send(
        new HeadObjectCommand({ Bucket: stack.bucket, Key: bigKey, ChecksumMode: 'ENABLED' })
      )
      expect(stored.ChecksumSHA256).toMatch(/^[A-Za-z0-9+/]{43}=/)
      expect(stored.ChecksumSHA256).not.toBe(Buffer.from(sha256(big), 'hex').toString('base64'))

      const second = await sign(
        stack,
        { path: 'fw/*.bin', 'source-prefix': 'reuse/' },
        { workspace, github: { GITHUB_RUN_ID: '1002' } }
      )
      expect(second.exitCode).toBe(0)
      expect(second.stdout).toContain(`Reusing s3://${stack.bucket}/${bigKey} version`)
      expect(second.stdout.match(/Reusing s3:\/\//g)).toHaveLength(2)
      expect(await versionsUnder(stack, 'reuse/')).toHaveLength(2)
      expect(JSON.parse(second.outputs.jobs)).toEqual(JSON.parse(first.outputs.jobs))
    })
  })
})

describe('sign mode with S3 answering as it does to a role without s3:ListBucket', () => {
  let stack: LocalStack
  beforeAll(async () => {
    stack = await startStack({ jobDurationMs: 100, withoutListBucket: true })
  })
  afterAll(async () => {
    await stack?.stop()
  })

  it('the stack answers as S3 does: 403 for a missing key, HeadBucket and ListObjects; versions still listed', async () => {
    const restricted = new S3Client({
      region: stack.region,
      endpoint: stack.env.AWS_ENDPOINT_URL_S3,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIDNOLIST', secretAccessKey: 'no-list' }
    })
    const status = (promise: Promise<unknown>): Promise<number | undefined> =>
      promise.then(
        () => 200,
        (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode
      )
    await stack.s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: 'present', Body: 'here' }))
    expect(
      await status(restricted.send(new HeadObjectCommand({ Bucket: stack.bucket, Key: 'missing' })))
    ).toBe(403)
    expect(
      await status(restricted.send(new GetObjectCommand({ Bucket: stack.bucket, Key: 'missing' })))
    ).toBe(403)
    expect(
      await status(restricted.send(new HeadObjectCommand({ Bucket: stack.bucket, Key: 'present' })))
    ).toBe(200)
    expect(await status(restricted.send(new ListObjectsV2Command({ Bucket: stack.bucket })))).toBe(403)
    expect(await status(restricted.send(new ListObjectVersionsCommand({ Bucket: stack.bucket })))).toBe(200)
    const headBucket = await restricted.send(new HeadBucketCommand({ Bucket: stack.bucket })).catch(e => e)
    expect(headBucket.$metadata.httpStatusCode).toBe(403)
    expect(headBucket.$response.headers['x-amz-bucket-region']).toBe('us-east-1')
    // The test's own client and the emulator keep full access.
    expect(await status(stack.s3.send(new HeadObjectCommand({ Bucket: stack.bucket, Key: 'missing' })))).toBe(
      404
    )
    restricted.destroy()
  })

  it("signs a new artifact: HeadObject's 403 means 'cannot tell', a version is uploaded, and the log says so", async () => {
    const workspace = makeWorkspace({ 'app.zip': lambdaZip('no list bucket') })
    const key = `unsigned/${sha256(lambdaZip('no list bucket'))}/app.zip`
    const first = await sign(stack, { path: 'app.zip' }, { workspace })
    expect(first.exitCode).toBe(0)
    expect(first.stdout).toContain(
      `Cannot tell whether s3://${stack.bucket}/${key} exists (HeadObject: Forbidden (HTTP 403): S3 answers 403 ` +
        'for a missing key to a caller without s3:ListBucket); uploading a new version'
    )
    // HeadBucket is refused too, yet its x-amz-bucket-region header still lets preflight check the Region.
    expect(first.stdout).toContain('source-bucket in us-east-1, source bucket versioned')
    expect(first.stdout).not.toContain('UnknownError')
    expect(first.outputs.status).toBe('Succeeded')
    expect(path.isAbsolute(first.outputs['signed-path'])).toBe(true)

    // Once the key exists HeadObject answers 200 (s3:GetObject suffices): a re-run reuses the version.
    const second = await sign(stack, { path: 'app.zip' }, { workspace, github: { GITHUB_RUN_ID: '1002' } })
    expect(second.exitCode).toBe(0)
    expect(second.stdout).toContain(
      `Reusing s3://${stack.bucket}/${key} version ${first.outputs['source-version-id']}`
    )
    expect(second.outputs['job-id']).toBe(first.outputs['job-id'])
    expect(await versionsUnder(stack, 'unsigned/')).toHaveLength(1)
  })
})
