import {
  GetBucketVersioningCommand,
  HeadBucketCommand,
  S3Client,
  S3ServiceException
} from '@aws-sdk/client-s3'
import {
  AccessDeniedException,
  GetSigningPlatformCommand,
  GetSigningProfileCommand,
  ResourceNotFoundException,
  SignerClient
} from '@aws-sdk/client-signer'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { mockClient } from 'aws-sdk-client-mock'
import { lambdaZip } from '../../emulator/testing'
import { PreflightError } from '../../src/errors'
import { preflight } from '../../src/sign/preflight'
import { Artifact } from '../../src/sign/types'

const s3Mock = mockClient(S3Client)
const signerMock = mockClient(SignerClient)
const clients = {
  s3: new S3Client({ region: 'us-east-1' }),
  signer: new SignerClient({ region: 'us-east-1' })
}

const CONFIG = {
  profileName: 'release_signing',
  profileOwner: undefined as string | undefined,
  sourceBucket: 'artifacts',
  destinationBucket: 'artifacts',
  expectedBucketOwner: undefined as string | undefined,
  region: 'us-east-1'
}
const MB = 1024 * 1024
/** A Lambda deployment package on disk (preflight peeks at it), with the size the test gives. */
const WORKSPACE = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-'))
const artifact = (relativePath: string, size: number): Artifact => {
  const file = path.join(WORKSPACE, relativePath.replace(/\//g, '_'))
  fs.writeFileSync(file, lambdaZip(relativePath))
  return { path: file, relativePath, size, sha256: 'a'.repeat(64) }
}

beforeEach(() => {
  s3Mock.reset()
  signerMock.reset()
  signerMock
    .on(GetSigningProfileCommand)
    .resolves({ status: 'Active', platformId: 'AWSLambda-SHA384-ECDSA', profileName: 'release_signing' })
  signerMock
    .on(GetSigningPlatformCommand)
    .resolves({ platformId: 'AWSLambda-SHA384-ECDSA', maxSizeInMB: 250 })
  s3Mock.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' })
  s3Mock.on(HeadBucketCommand).resolves({ BucketRegion: 'us-east-1' })
})

async function preflightError(config = CONFIG, artifacts = [artifact('a.zip', 10)]): Promise<PreflightError> {
  const error = await preflight(config, artifacts, clients).catch(e => e)
  expect(error).toBeInstanceOf(PreflightError)
  return error
}

describe('preflight', () => {
  it('passes with an Active profile, a versioned bucket and artifacts within the limit', async () => {
    const result = await preflight(CONFIG, [artifact('a.zip', 250 * MB)], clients)
    expect(result).toEqual({
      platformId: 'AWSLambda-SHA384-ECDSA',
      maxSizeBytes: 250 * MB,
      checked: [
        'profile Active on AWSLambda-SHA384-ECDSA, sizes within 250 MB, zip files with entries',
        'source-bucket in us-east-1, source bucket versioned'
      ],
      warnings: []
    })
    expect(signerMock).toHaveReceivedCommandWith(GetSigningProfileCommand, { profileName: 'release_signing' })
    expect(signerMock).toHaveReceivedCommandWith(GetSigningPlatformCommand, {
      platformId: 'AWSLambda-SHA384-ECDSA'
    })
    expect(s3Mock.commandCalls(GetBucketVersioningCommand)[0].args[0].input).toEqual({ Bucket: 'artifacts' })
  })

  it('sends profileOwner and ExpectedBucketOwner when set', async () => {
    await preflight(
      { ...CONFIG, profileOwner: '111122223333', expectedBucketOwner: '444455556666' },
      [artifact('a.zip', 1)],
      clients
    )
    expect(signerMock.commandCalls(GetSigningProfileCommand)[0].args[0].input).toEqual({
      profileName: 'release_signing',
      profileOwner: '111122223333'
    })
    expect(s3Mock.commandCalls(GetBucketVersioningCommand)[0].args[0].input).toEqual({
      Bucket: 'artifacts',
      ExpectedBucketOwner: '444455556666'
    })
    expect(s3Mock.commandCalls(HeadBucketCommand)[0].args[0].input).toEqual({
      Bucket: 'artifacts',
      ExpectedBucketOwner: '444455556666'
    })
  })

  it.each([
    ['Canceled', 'Canceled by admin', 'is Canceled (Canceled by admin), not Active'],
    ['Revoked', undefined, 'is Revoked, not Active']
  ])('fails on a %s profile, naming the status and its reason', async (status, statusReason, text) => {
    signerMock
      .on(GetSigningProfileCommand)
      .resolves({ status: status as 'Canceled', statusReason, platformId: 'p' })
    const error = await preflightError()
    expect(error.message).toBe(
      `Signing profile 'release_signing' ${text}: it can no longer start signing jobs; use an Active profile`
    )
    expect(signerMock).not.toHaveReceivedCommand(GetSigningPlatformCommand)
  })

  it('explains a missing profile, with the owner when shared', async () => {
    signerMock
      .on(GetSigningProfileCommand)
      .rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }))
    expect((await preflightError()).message).toMatch(
      /^Signing profile 'release_signing' was not found in us-east-1: check the name, and aws-region \(a profile lives in one Region\): aws signer list-signing-profiles --region us-east-1$/
    )
    expect((await preflightError({ ...CONFIG, profileOwner: '111122223333' })).message).toMatch(
      /owned by 111122223333 was not found in us-east-1: .*account 111122223333 shares it with this account/
    )
  })

  it('lists every artifact over the platform limit with its size', async () => {
    signerMock
      .on(GetSigningPlatformCommand)
      .resolves({ platformId: 'AmazonFreeRTOS-Default', maxSizeInMB: 16 })
    const error = await preflightError(CONFIG, [
      artifact('ok.bin', 16 * MB),
      artifact('big.bin', 16 * MB + 1),
      artifact('huge.bin', 40 * MB)
    ])
    expect(error.message).toBe(
      'Platform AWSLambda-SHA384-ECDSA signs files of at most 16 MB (16777216 bytes); too big: ' +
        'big.bin (16.0 MiB, 16777217 bytes), huge.bin (40.0 MiB, 41943040 bytes)'
    )
  })

  it.each([
    ['Suspended', 'has versioning Suspended'],
    [undefined, 'has never had versioning enabled']
  ])('fails when versioning is %s, with the command that enables it', async (status, text) => {
    s3Mock.on(GetBucketVersioningCommand).resolves({ Status: status as 'Suspended' | undefined })
    const error = await preflightError()
    expect(error.message).toBe(
      `source-bucket 'artifacts' ${text}: Signer signs an exact object version, so versioning must be ` +
        'Enabled. Enable it with `aws s3api put-bucket-versioning --bucket artifacts ' +
        '--versioning-configuration Status=Enabled --region us-east-1`'
    )
  })

  it('reports every problem at once', async () => {
    signerMock.on(GetSigningProfileCommand).resolves({ status: 'Revoked', platformId: 'p' })
    s3Mock.on(GetBucketVersioningCommand).resolves({ Status: 'Suspended' })
    const lines = (await preflightError()).message.split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toContain('is Revoked')
    expect(lines[1]).toContain('put-bucket-versioning')
  })

  it('gives context to other errors (a missing bucket, denied access)', async () => {
    const noBucket = new S3ServiceException({
      name: 'NoSuchBucket',
      message: 'The specified bucket does not exist',
      $fault: 'client',
      $metadata: { httpStatusCode: 404 }
    })
    s3Mock.on(GetBucketVersioningCommand).rejects(noBucket)
    const error = await preflightError()
    expect(error.message).toBe(
      "Could not read the versioning of source-bucket 'artifacts': NoSuchBucket: The specified bucket does not exist"
    )
    expect(error.cause).toBe(noBucket)
  })

  it('refuses an empty artifact, naming it', async () => {
    const error = await preflightError(CONFIG, [artifact('dist/empty.zip', 0), artifact('ok.zip', 3)])
    expect(error.message).toBe(
      'Empty artifact (0 bytes): dist/empty.zip; Signer cannot sign an empty file: check the build step that writes it'
    )
  })

  describe('Regions: Signer does not sign across Regions', () => {
    const regionOf = (regions: Record<string, string>): void => {
      for (const [bucket, region] of Object.entries(regions)) {
        s3Mock.on(HeadBucketCommand, { Bucket: bucket }).resolves({ BucketRegion: region })
      }
    }

    it('checks the destination bucket too when it is another one', async () => {
      regionOf({ artifacts: 'us-east-1', signed: 'us-east-1' })
      const result = await preflight({ ...CONFIG, destinationBucket: 'signed' }, [artifact('a', 1)], clients)
      expect(result.checked).toContain('destination-bucket in us-east-1')
      expect(
        s3Mock
          .commandCalls(HeadBucketCommand)
          .map(call => call.args[0].input.Bucket)
          .sort()
      ).toEqual(['artifacts', 'signed'])
    })

    it('refuses a bucket in another Region, naming the bucket, its Region and the profile Region', async () => {
      regionOf({ artifacts: 'us-east-1', 'eu-signed': 'eu-west-1' })
      const error = await preflightError({ ...CONFIG, destinationBucket: 'eu-signed' })
      expect(error.message).toBe(
        "destination-bucket 'eu-signed' is in eu-west-1, but signing profile 'release_signing' is in " +
          'us-east-1 (aws-region): Signer does not sign across Regions. Use a bucket in us-east-1, or a ' +
          'profile in eu-west-1 with aws-region: eu-west-1'
      )
    })

    it('reads the Region from the header of a refused HeadBucket (S3 sends it whatever the access)', async () => {
      const denied = new S3ServiceException({
        name: 'Unknown',
        $fault: 'client',
        message: 'UnknownError',
        $metadata: { httpStatusCode: 403 }
      })
      Object.assign(denied, {
        $response: { statusCode: 403, headers: { 'x-amz-bucket-region': 'eu-west-1' } }
      })
      s3Mock.on(HeadBucketCommand).rejects(denied)
      expect((await preflightError()).message).toMatch(/^source-bucket 'artifacts' is in eu-west-1, but/)
    })

    it('warns, and goes on, when S3 does not say the Region', async () => {
      s3Mock.on(HeadBucketCommand).rejects(
        new S3ServiceException({
          name: 'Unknown',
          $fault: 'client',
          message: 'UnknownError',
          $metadata: { httpStatusCode: 403 }
        })
      )
      const result = await preflight(CONFIG, [artifact('a', 1)], clients)
      expect(result.warnings).toEqual([
        "Could not read the Region of source-bucket 'artifacts' (HeadBucket: Forbidden (HTTP 403)); Signer " +
          "signs only with buckets in the profile's Region (us-east-1)"
      ])
    })

    it('names a bucket that does not exist', async () => {
      s3Mock
        .on(HeadBucketCommand)
        .rejects(
          new S3ServiceException({ name: 'NotFound', $fault: 'client', $metadata: { httpStatusCode: 404 } })
        )
      expect((await preflightError()).message).toBe(
        "source-bucket 'artifacts' does not exist (NotFound (HTTP 404)): check the name and aws-region"
      )
      expect(s3Mock).not.toHaveReceivedCommand(GetBucketVersioningCommand)
    })
  })

  describe('a profile shared from another account', () => {
    const denied = (): AccessDeniedException =>
      new AccessDeniedException({
        message: 'not authorized to perform signer:GetSigningProfile',
        $metadata: { httpStatusCode: 403 }
      })

    it('without signer:GetSigningProfile: a warning saying what is not checked, and signing goes on', async () => {
      signerMock.on(GetSigningProfileCommand).rejects(denied())
      const result = await preflight({ ...CONFIG, profileOwner: '111122223333' }, [artifact('a', 1)], clients)
      expect(result.platformId).toBeUndefined()
      expect(result.maxSizeBytes).toBeUndefined()
      expect(result.warnings).toHaveLength(1)
      expect(result.warnings[0]).toMatch(
        /^Cannot read signing profile 'release_signing' owned by 111122223333 \(GetSigningProfile: AccessDeniedException: not authorized to perform signer:GetSigningProfile\); signing goes on/
      )
      expect(result.warnings[0]).toContain('size limit (Signer fails the job of a file too big)')
      expect(signerMock).not.toHaveReceivedCommand(GetSigningPlatformCommand)
    })

    it("the caller's own profile: a denied GetSigningProfile stays an error", async () => {
      signerMock.on(GetSigningProfileCommand).rejects(denied())
      expect((await preflightError()).message).toBe(
        "Could not check signing profile 'release_signing': AccessDeniedException: not authorized to perform signer:GetSigningProfile"
      )
    })
  })
})
