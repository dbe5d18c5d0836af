import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand
} from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import { RunContext } from '../../src/context'
import { hashFile } from '../../src/sign/artifacts'
import { ensureSourceObject, metadataValue, sourceMetadata } from '../../src/sign/source'
import { Artifact } from '../../src/sign/types'
import { makeWorkspace } from '../../scripts/run-action'

const s3Mock = mockClient(S3Client)
const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })

const CONTEXT: RunContext = {
  repository: 'acme/firmware',
  commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  ref: 'refs/tags/v1.2.3',
  workflow: 'release',
  runId: '1001',
  runAttempt: '2',
  actor: 'release-bot',
  serverUrl: 'https://github.com'
}
const OPTIONS = { bucket: 'artifacts', prefix: 'unsigned/' }

let workspace: string
let artifact: Artifact
beforeAll(async () => {
  workspace = makeWorkspace({ 'dist/app.zip': 'the artifact bytes' })
  const file = path.join(workspace, 'dist/app.zip')
  artifact = { path: file, relativePath: 'dist/app.zip', ...(await hashFile(file)) }
})
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }))
beforeEach(() => s3Mock.reset())

/** What S3 reports for an object stored with a single PutObject and ChecksumAlgorithm SHA256. */
const fullChecksum = (hex: string): { ChecksumSHA256: string; ChecksumType: 'FULL_OBJECT' } => ({
  ChecksumSHA256: Buffer.from(hex, 'hex').toString('base64'),
  ChecksumType: 'FULL_OBJECT'
})

const notFound = (): S3ServiceException =>
  new S3ServiceException({ name: 'NotFound', $fault: 'client', $metadata: { httpStatusCode: 404 } })

describe('sourceMetadata', () => {
  it('records the hash and the run that uploaded, but never the attempt', () => {
    expect(sourceMetadata(artifact, CONTEXT)).toEqual({
      sha256: artifact.sha256,
      repository: 'acme/firmware',
      commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      ref: 'refs/tags/v1.2.3',
      workflow: 'release',
      'run-id': '1001',
      actor: 'release-bot'
    })
  })

  it('percent-encodes what an HTTP header cannot carry', () => {
    expect(metadataValue('refs/heads/main')).toBe('refs/heads/main')
    expect(metadataValue('refs/heads/économie')).toBe('refs%2Fheads%2F%C3%A9conomie')
    expect(metadataValue('line\nbreak')).toBe('line%0Abreak')
  })
})

describe('ensureSourceObject', () => {
  const key = (): string => `unsigned/${artifact.sha256}/app.zip`

  it('uploads when the key does not exist, with metadata, and records the new version', async () => {
    s3Mock.on(HeadObjectCommand).rejects(notFound())
    s3Mock.on(PutObjectCommand).resolves({ VersionId: 'v-new', ETag: '"e"' })
    const log: string[] = []
    const source = await ensureSourceObject(s3, artifact, CONTEXT, OPTIONS, line => log.push(line))
    expect(source).toEqual({ bucket: 'artifacts', key: key(), versionId: 'v-new', reused: false })
    expect(s3Mock.commandCalls(HeadObjectCommand)[0].args[0].input).toEqual({
      Bucket: 'artifacts',
      Key: key(),
      ChecksumMode: 'ENABLED'
    })
    const put = s3Mock.commandCalls(PutObjectCommand)[0].args[0].input
    expect(put).toMatchObject({
      Bucket: 'artifacts',
      Key: key(),
      ContentLength: artifact.size,
      ChecksumAlgorithm: 'SHA256',
      Metadata: sourceMetadata(artifact, CONTEXT)
    })
    expect(Buffer.from(put.Body as Uint8Array).toString()).toBe('the artifact bytes')
    expect(log).toEqual([`Uploading dist/app.zip to s3://artifacts/${key()}`, 'Uploaded version v-new'])
  })

  it("reuses the current version when S3's SHA-256 checksum proves the same bytes", async () => {
    s3Mock
      .on(HeadObjectCommand)
      .resolves({ VersionId: 'v-old', ContentLength: artifact.size, ...fullChecksum(artifact.sha256) })
    const source = await ensureSourceObject(s3, artifact, CONTEXT, OPTIONS)
    expect(source).toEqual({ bucket: 'artifacts', key: key(), versionId: 'v-old', reused: true })
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand)
  })

  it.each<[string, Record<string, unknown>]>([
    ['the same sha256 metadata but no S3 checksum', { Metadata: { sha256: 'SAME' } }],
    [
      "the same sha256 metadata but S3's checksum of other bytes (planted)",
      { Metadata: { sha256: 'SAME' }, ...fullChecksum('b'.repeat(64)) }
    ],
    ['another size', { ContentLength: 1, CHECKSUM: true }],
    ['no version (written while unversioned)', { VersionId: 'null', CHECKSUM: true }],
    ['a COMPOSITE checksum equal to the whole-file digest', { CHECKSUM: true, ChecksumType: 'COMPOSITE' }]
  ])('uploads a new version when the current one has %s', async (_, head) => {
    const { CHECKSUM, Metadata, ...rest } = head as { CHECKSUM?: boolean; Metadata?: { sha256: string } }
    s3Mock.on(HeadObjectCommand).resolves({
      VersionId: 'v-old',
      ContentLength: artifact.size,
      ...(CHECKSUM ? fullChecksum(artifact.sha256) : {}),
      ...(Metadata ? { Metadata: { sha256: artifact.sha256 } } : {}),
      ...rest
    })
    s3Mock.on(ListObjectVersionsCommand).resolves({})
    s3Mock.on(PutObjectCommand).resolves({ VersionId: 'v-new' })
    expect(await ensureSourceObject(s3, artifact, CONTEXT, OPTIONS)).toMatchObject({
      versionId: 'v-new',
      reused: false
    })
  })

  it('says why a version of the same size is not reused', async () => {
    s3Mock.on(HeadObjectCommand).resolves({
      VersionId: 'v-planted',
      ContentLength: artifact.size,
      Metadata: { sha256: artifact.sha256 },
      ...fullChecksum('b'.repeat(64))
    })
    s3Mock.on(ListObjectVersionsCommand).resolves({})
    s3Mock.on(PutObjectCommand).resolves({ VersionId: 'v-new' })
    const log: string[] = []
    await ensureSourceObject(s3, artifact, CONTEXT, OPTIONS, line => log.push(line))
    expect(log[0]).toBe(
      `s3://artifacts/${key()} version v-planted holds other bytes (S3's SHA-256 checksum ` +
        `${fullChecksum('b'.repeat(64)).ChecksumSHA256}); not reused`
    )
  })

  it('looks past a delete marker to an older version holding the same bytes', async () => {
    const deleted = new S3ServiceException({ name: 'NotFound', $fault: 'client', $metadata: {} })
    Object.assign(deleted, { $response: { statusCode: 404, headers: { 'x-amz-delete-marker': 'true' } } })
    s3Mock.on(HeadObjectCommand).rejects(deleted)
    s3Mock
      .on(HeadObjectCommand, { VersionId: 'v-kept' })
      .resolves({ VersionId: 'v-kept', ContentLength: artifact.size, ...fullChecksum(artifact.sha256) })
    s3Mock.on(ListObjectVersionsCommand).resolves({
      Versions: [
        { Key: `${key()}-other`, VersionId: 'v-other-key', Size: artifact.size },
        { Key: key(), VersionId: 'v-short', Size: 1 },
        { Key: key(), VersionId: 'v-kept', Size: artifact.size }
      ]
    })
    const source = await ensureSourceObject(s3, artifact, CONTEXT, {
      ...OPTIONS,
      expectedBucketOwner: '444455556666'
    })
    expect(source).toEqual({ bucket: 'artifacts', key: key(), versionId: 'v-kept', reused: true })
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand)
    expect(s3Mock).toHaveReceivedCommandWith(ListObjectVersionsCommand, {
      Bucket: 'artifacts',
      Prefix: key(),
      ExpectedBucketOwner: '444455556666'
    })
    // Only the candidate of the same key and size was read.
    expect(s3Mock.commandCalls(HeadObjectCommand).map(call => call.args[0].input.VersionId)).toEqual([
      undefined,
      'v-kept'
    ])
  })

  it('uploads without listing after a plain 404, and uploads anew when listing is denied', async () => {
    s3Mock.on(HeadObjectCommand).rejects(notFound())
    s3Mock.on(PutObjectCommand).resolves({ VersionId: 'v-new' })
    await ensureSourceObject(s3, artifact, CONTEXT, OPTIONS)
    expect(s3Mock).not.toHaveReceivedCommand(ListObjectVersionsCommand)

    s3Mock.reset()
    s3Mock
      .on(HeadObjectCommand)
      .resolves({ VersionId: 'v-other', ContentLength: artifact.size, ...fullChecksum('c'.repeat(64)) })
    s3Mock
      .on(ListObjectVersionsCommand)
      .rejects(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {} }))
    s3Mock.on(PutObjectCommand).resolves({ VersionId: 'v-new' })
    const log: string[] = []
    const source = await ensureSourceObject(s3, artifact, CONTEXT, OPTIONS, line => log.push(line))
    expect(source.versionId).toBe('v-new')
    expect(log[1]).toMatch(/Could not list the versions of .*AccessDenied.*; uploading anew/)
  })

  it('sends ExpectedBucketOwner on every call, multipart included', async () => {
    const big = path.join(workspace, 'big.bin')
    fs.writeFileSync(big, Buffer.alloc(11 * 1024 * 1024, 1))
    const bigArtifact = { path: big, relativePath: 'big.bin', ...(await hashFile(big)) }
    s3Mock.on(HeadObjectCommand).rejects(notFound())
    s3Mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' })
    s3Mock.on(UploadPartCommand).callsFake(input => ({ ETag: `"p${input.PartNumber}"` }))
    s3Mock.on(CompleteMultipartUploadCommand).resolves({ VersionId: 'v-multi' })
    const options = { ...OPTIONS, expectedBucketOwner: '444455556666' }
    const source = await ensureSourceObject(s3, bigArtifact, CONTEXT, options)
    expect(source.versionId).toBe('v-multi')

    const calls = s3Mock.calls().map(call => call.args[0].input as { ExpectedBucketOwner?: string })
    expect(calls.length).toBe(1 + 1 + 3 + 1) // head, create, 3 parts of 5 MiB, complete
    expect(calls.every(input => input.ExpectedBucketOwner === '444455556666')).toBe(true)
    expect(s3Mock.commandCalls(CreateMultipartUploadCommand)[0].args[0].input.Metadata).toEqual(
      sourceMetadata(bigArtifact, CONTEXT)
    )
    // S3 verifies each part's SHA-256 and keeps the composite checksum of the parts.
    expect(s3Mock.commandCalls(CreateMultipartUploadCommand)[0].args[0].input.ChecksumAlgorithm).toBe(
      'SHA256'
    )
    expect(s3Mock.commandCalls(UploadPartCommand).map(call => call.args[0].input.ChecksumAlgorithm)).toEqual([
      'SHA256',
      'SHA256',
      'SHA256'
    ])
  })

  describe('a multipart version (COMPOSITE checksum of 5 MiB parts)', () => {
    let big: Artifact
    let composite: string
    beforeAll(async () => {
      const file = path.join(workspace, 'multi.bin')
      const bytes = Buffer.alloc(11 * 1024 * 1024, 3)
      bytes.write('head', 0)
      fs.writeFileSync(file, bytes)
      big = { path: file, relativePath: 'multi.bin', ...(await hashFile(file)) }
      const part = 5 * 1024 * 1024
      const digests = [0, 1, 2].map(i =>
        createHash('sha256')
          .update(bytes.subarray(i * part, (i + 1) * part))
          .digest()
      )
      composite = createHash('sha256').update(Buffer.concat(digests)).digest('base64')
    })
    const multiKey = (): string => `unsigned/${big.sha256}/multi.bin`

    it.each([
      ['as S3 reports it', '-3', 'COMPOSITE'],
      ["as moto's HeadObject reports it (no type, no part count)", '', undefined]
    ] as const)('is reused when its checksum %s proves the bytes', async (_, suffix, type) => {
      s3Mock.on(HeadObjectCommand).resolves({
        VersionId: 'v-multi',
        ContentLength: big.size,
        ChecksumSHA256: composite + suffix,
        ChecksumType: type
      })
      const source = await ensureSourceObject(s3, big, CONTEXT, OPTIONS)
      expect(source).toEqual({ bucket: 'artifacts', key: multiKey(), versionId: 'v-multi', reused: true })
    })

    it('is not reused with another part count (uploaded with another part size)', async () => {
      s3Mock.on(HeadObjectCommand).resolves({
        VersionId: 'v-multi',
        ContentLength: big.size,
        ChecksumSHA256: `${composite}-2`,
        ChecksumType: 'COMPOSITE'
      })
      s3Mock.on(ListObjectVersionsCommand).resolves({})
      s3Mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' })
      s3Mock.on(UploadPartCommand).callsFake(input => ({ ETag: `"p${input.PartNumber}"` }))
      s3Mock.on(CompleteMultipartUploadCommand).resolves({ VersionId: 'v-new' })
      expect(await ensureSourceObject(s3, big, CONTEXT, OPTIONS)).toMatchObject({
        versionId: 'v-new',
        reused: false
      })
    })
  })

  it('deletes the new version and fails when the file changed between hashing and upload', async () => {
    const file = path.join(workspace, 'changing.bin')
    fs.writeFileSync(file, 'first content')
    const hashed = { path: file, relativePath: 'changing.bin', ...(await hashFile(file)) }
    fs.writeFileSync(file, 'other content') // same size, other bytes
    s3Mock.on(HeadObjectCommand).rejects(notFound())
    s3Mock.on(PutObjectCommand).resolves({ VersionId: 'v-wrong' })
    s3Mock.on(DeleteObjectCommand).resolves({})
    const options = { ...OPTIONS, expectedBucketOwner: '444455556666' }
    await expect(ensureSourceObject(s3, hashed, CONTEXT, options)).rejects.toThrow(
      /changing\.bin changed while it was being uploaded .*; the uploaded version was deleted and nothing was signed/
    )
    expect(s3Mock).toHaveReceivedCommandWith(DeleteObjectCommand, {
      Bucket: 'artifacts',
      Key: `unsigned/${hashed.sha256}/changing.bin`,
      VersionId: 'v-wrong',
      ExpectedBucketOwner: '444455556666'
    })
  })

  it('fails, uploading nothing, when the file cannot be read', async () => {
    const missing = { ...artifact, path: path.join(workspace, 'gone.bin'), relativePath: 'gone.bin' }
    s3Mock.on(HeadObjectCommand).rejects(notFound())
    await expect(ensureSourceObject(s3, missing, CONTEXT, OPTIONS)).rejects.toThrow(/ENOENT/)
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand)
  })

  it('fails when S3 stored the upload without a version id', async () => {
    s3Mock.on(HeadObjectCommand).rejects(notFound())
    s3Mock.on(PutObjectCommand).resolves({})
    await expect(ensureSourceObject(s3, artifact, CONTEXT, OPTIONS)).rejects.toThrow(
      /was stored without a version id: is versioning still Enabled/
    )
  })

  it("takes S3's 403 for a missing key (no s3:ListBucket) as 'cannot tell': uploads and says so", async () => {
    s3Mock
      .on(HeadObjectCommand)
      .rejects(
        new S3ServiceException({ name: 'Forbidden', $fault: 'client', $metadata: { httpStatusCode: 403 } })
      )
    s3Mock.on(PutObjectCommand).resolves({ VersionId: 'v-new' })
    const log: string[] = []
    const source = await ensureSourceObject(s3, artifact, CONTEXT, OPTIONS, line => log.push(line))
    expect(source).toMatchObject({ versionId: 'v-new', reused: false })
    expect(s3Mock).not.toHaveReceivedCommand(ListObjectVersionsCommand)
    expect(log[0]).toBe(
      `Cannot tell whether s3://artifacts/${key()} exists (Forbidden (HTTP 403): S3 answers 403 for a ` +
        'missing key to a caller without s3:ListBucket); uploading a new version'
    )
  })

  it('does not treat other errors as a missing object', async () => {
    s3Mock.on(HeadObjectCommand).rejects(
      new S3ServiceException({
        name: 'InternalError',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 }
      })
    )
    await expect(ensureSourceObject(s3, artifact, CONTEXT, OPTIONS)).rejects.toMatchObject({
      name: 'InternalError'
    })
    expect(s3Mock).not.toHaveReceivedCommand(PutObjectCommand)
  })
})
