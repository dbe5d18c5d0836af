import * as path from 'node:path'
import {
  GetBucketVersioningCommand,
  HeadObjectCommand,
  S3Client,
  S3ServiceException
} from '@aws-sdk/client-s3'
import { GetSigningPlatformCommand, GetSigningProfileCommand, SignerClient } from '@aws-sdk/client-signer'
import { mockClient } from 'aws-sdk-client-mock'
import { SignConfig } from '../../src/config'
import { PreflightError } from '../../src/errors'
import {
  downloadName,
  headProblem,
  objectArtifact,
  pinnedSource,
  resolveSourceObject,
  storedSha256
} from '../../src/sign/source-object'

const s3Mock = mockClient(S3Client)
const signerMock = mockClient(SignerClient)
const clients = {
  s3: new S3Client({ region: 'us-east-1' }),
  signer: new SignerClient({ region: 'us-east-1' }),
  region: 'us-east-1'
}
const REF = { bucket: 'sam-builds', key: 'app/function.zip' }
const CONFIG = {
  profileName: 'release_signing',
  sourceBucket: 'sam-builds',
  expectedBucketOwner: '111122223333'
} as SignConfig
// sha256('hello') in S3's base64 form, and in hex.
const HELLO_B64 = 'LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ='
const HELLO_HEX = '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'

function s3Error(status: number, headers: Record<string, string> = {}): S3ServiceException {
  const error = new S3ServiceException({
    name: status === 404 ? 'NotFound' : 'Unknown',
    $fault: 'client',
    $metadata: { httpStatusCode: status }
  })
  return Object.assign(error, { $response: { statusCode: status, headers, body: undefined } })
}

beforeEach(() => {
  s3Mock.reset()
  signerMock.reset()
  signerMock.on(GetSigningProfileCommand).resolves({ status: 'Active', platformId: 'AWSLambda-SHA384-ECDSA' })
  signerMock.on(GetSigningPlatformCommand).resolves({ platformId: 'AWSLambda-SHA384-ECDSA', maxSizeInMB: 1 })
  s3Mock.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' })
})

describe('storedSha256', () => {
  it("is S3's full-object SHA-256 in hex", () => {
    expect(storedSha256({ ChecksumSHA256: HELLO_B64 })).toBe(HELLO_HEX)
    expect(storedSha256({ ChecksumSHA256: HELLO_B64, ChecksumType: 'FULL_OBJECT' })).toBe(HELLO_HEX)
  })

  it("is unknown without one, or for a multipart upload's checksum of checksums", () => {
    expect(storedSha256({})).toBe('')
    expect(storedSha256({ ChecksumSHA256: `${HELLO_B64}-3` })).toBe('')
    expect(storedSha256({ ChecksumSHA256: HELLO_B64, ChecksumType: 'COMPOSITE' })).toBe('')
    expect(storedSha256({ ChecksumSHA256: 'c2hvcnQ=' })).toBe('')
  })
})

describe('objectArtifact and pinnedSource', () => {
  it('pins the version HeadObject returned when the URI named none', () => {
    const artifact = objectArtifact(REF, { VersionId: 'v-current', ContentLength: 5, $metadata: {} })
    expect(artifact).toEqual({
      path: 's3://sam-builds/app/function.zip',
      relativePath: 's3://sam-builds/app/function.zip',
      size: 5,
      sha256: '',
      object: { bucket: 'sam-builds', key: 'app/function.zip', versionId: 'v-current', reused: true }
    })
    expect(pinnedSource(artifact)).toBe(artifact.object)
    expect(downloadName(artifact)).toBe('function.zip')
  })

  it('keeps the version the URI named', () => {
    const artifact = objectArtifact({ ...REF, versionId: 'v-old' }, { VersionId: 'v-old', $metadata: {} })
    expect(artifact.object?.versionId).toBe('v-old')
  })

  it.each([undefined, 'null'])('refuses an object without a version id (%s)', versionId => {
    const artifact = objectArtifact(REF, { VersionId: versionId, ContentLength: 1, $metadata: {} })
    expect(() => pinnedSource(artifact)).toThrow(
      'source-object s3://sam-builds/app/function.zip has no version id: it was stored before versioning was enabled'
    )
  })

  it('leaves the download name of a file artifact as its relative path', () => {
    expect(downloadName({ path: '/ws/dist/a.zip', relativePath: 'dist/a.zip', size: 1, sha256: 'a' })).toBe(
      'dist/a.zip'
    )
  })
})

describe('headProblem', () => {
  it.each([
    [
      REF,
      s3Error(404),
      "source-object s3://sam-builds/app/function.zip was not found: no such key in bucket 'sam-builds'"
    ],
    [
      REF,
      s3Error(404, { 'x-amz-delete-marker': 'true' }),
      'its current version is a delete marker; add ?versionId= with the version to sign'
    ],
    [
      { ...REF, versionId: 'v9' },
      s3Error(404),
      "source-object s3://sam-builds/app/function.zip: version 'v9' does not exist; list the versions with " +
        '`aws s3api list-object-versions --bucket sam-builds --prefix app/function.zip`'
    ],
    [{ ...REF, versionId: 'v9' }, s3Error(405), "version 'v9' is a delete marker"],
    [{ ...REF, versionId: 'v9' }, s3Error(403), 'the role needs s3:GetObject and s3:GetObjectVersion on it'],
    [REF, s3Error(403), 'the role needs s3:GetObject on it']
  ])('explains a failed HEAD (%j)', (ref, error, message) => {
    const problem = headProblem(ref, error)
    expect(problem).toBeInstanceOf(PreflightError)
    expect(problem.message).toContain(message)
  })
})

describe('resolveSourceObject', () => {
  it('reads the object with its checksum and ExpectedBucketOwner, then runs preflight on its size', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ VersionId: 'v1', ContentLength: 5, ChecksumSHA256: HELLO_B64 })
    const { artifacts, preflight } = await resolveSourceObject(REF, CONFIG, clients)
    expect(preflight.platformId).toBe('AWSLambda-SHA384-ECDSA')
    expect(artifacts).toEqual([expect.objectContaining({ size: 5, sha256: HELLO_HEX })])
    expect(s3Mock.commandCalls(HeadObjectCommand).map(call => call.args[0].input)).toEqual([
      {
        Bucket: 'sam-builds',
        Key: 'app/function.zip',
        ChecksumMode: 'ENABLED',
        ExpectedBucketOwner: '111122223333'
      }
    ])
    expect(s3Mock.commandCalls(GetBucketVersioningCommand)[0].args[0].input).toEqual({
      Bucket: 'sam-builds',
      ExpectedBucketOwner: '111122223333'
    })
  })

  it('sends the versionId the URI named', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ VersionId: 'v0', ContentLength: 5 })
    await resolveSourceObject({ ...REF, versionId: 'v0' }, CONFIG, clients)
    expect(s3Mock.commandCalls(HeadObjectCommand)[0].args[0].input).toMatchObject({ VersionId: 'v0' })
  })

  it('applies the platform size limit to the object', async () => {
    s3Mock.on(HeadObjectCommand).resolves({ VersionId: 'v1', ContentLength: 2 * 1024 * 1024 })
    await expect(resolveSourceObject(REF, CONFIG, clients)).rejects.toThrow(
      /signs files of at most 1 MB .*too big: s3:\/\/sam-builds\/app\/function.zip/
    )
  })

  it("reports the bucket's versioning before the object's failed HEAD, which it explains", async () => {
    s3Mock.on(HeadObjectCommand).rejects(s3Error(400))
    s3Mock.on(GetBucketVersioningCommand).resolves({})
    await expect(resolveSourceObject({ ...REF, versionId: 'v1' }, CONFIG, clients)).rejects.toThrow(
      "source-bucket 'sam-builds' has never had versioning enabled"
    )
  })

  it("reports the object's problem once preflight passes", async () => {
    s3Mock.on(HeadObjectCommand).rejects(s3Error(404))
    await expect(resolveSourceObject(REF, CONFIG, clients)).rejects.toThrow('was not found')
  })
})

it("a source-object's download name is its key's last segment, never a path", () => {
  const artifact = objectArtifact(
    { bucket: 'b', key: 'deep/dir/../x.bin' },
    { VersionId: 'v', $metadata: {} }
  )
  expect(path.isAbsolute(downloadName(artifact))).toBe(false)
  expect(downloadName(artifact)).toBe('x.bin')
})
