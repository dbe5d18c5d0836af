import * as fs from 'node:fs'
import * as path from 'node:path'
import { Readable } from 'node:stream'
import { GetObjectCommand, GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import { downloadSignedObject, signedPath } from '../../src/sign/download'
import { makeWorkspace } from '../../scripts/run-action'

const s3Mock = mockClient(S3Client)
const s3 = new S3Client({ region: 'us-east-1' })
let dir: string
beforeEach(() => {
  s3Mock.reset()
  dir = makeWorkspace()
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

type GetObjectOutput = GetObjectCommandOutput
const body = (chunks: (string | Buffer)[]): GetObjectOutput =>
  ({ Body: Readable.from(chunks.map(chunk => Buffer.from(chunk))) }) as unknown as GetObjectOutput

describe('signedPath', () => {
  it("keeps the artifact's workspace-relative path under output-dir", () => {
    expect(signedPath('/ws/signed', 'dist/lambda/app.zip')).toBe('/ws/signed/dist/lambda/app.zip')
  })

  it.each(['../escape.zip', 'dist/../../escape.zip', '/etc/passwd', '', '.'])(
    'never resolves outside output-dir: %p',
    relative => {
      expect(() => signedPath('/ws/signed', relative)).toThrow(
        /refusing to write .* outside output-dir \/ws\/signed/
      )
    }
  )
})

describe('downloadSignedObject', () => {
  it('streams the exact version into place, creating directories, with ExpectedBucketOwner', async () => {
    s3Mock.on(GetObjectCommand).resolves(body(['signed ', 'bytes']))
    const target = path.join(dir, 'signed', 'dist', 'app.zip')
    const sha256 = await downloadSignedObject(
      s3,
      { bucket: 'artifacts', key: 'signed/job-1.zip', versionId: 'v-signer' },
      target,
      { expectedBucketOwner: '444455556666', outputDir: dir }
    )
    expect(fs.readFileSync(target, 'utf8')).toBe('signed bytes')
    // The SHA-256 of the bytes written, as sha256sum gives it: hashed on the way to disk.
    expect(sha256).toBe('d6eade346b42f707c1684aa3d3c029ab0809164b8b878fcccf56fe1d83b3dc1d')
    expect(s3Mock.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({
      Bucket: 'artifacts',
      Key: 'signed/job-1.zip',
      VersionId: 'v-signer',
      ExpectedBucketOwner: '444455556666'
    })
    expect(fs.readdirSync(path.dirname(target))).toEqual(['app.zip'])
  })

  it('replaces an older file of the same name', async () => {
    const target = path.join(dir, 'app.zip')
    fs.writeFileSync(target, 'stale')
    s3Mock.on(GetObjectCommand).resolves(body(['fresh']))
    await downloadSignedObject(s3, { bucket: 'b', key: 'k', versionId: 'v' }, target, { outputDir: dir })
    expect(fs.readFileSync(target, 'utf8')).toBe('fresh')
  })

  it('leaves neither a partial nor a final file when the stream breaks', async () => {
    const broken = new Readable({
      read() {
        this.push(Buffer.from('half'))
        this.destroy(new Error('connection reset'))
      }
    })
    s3Mock.on(GetObjectCommand).resolves({ Body: broken } as unknown as GetObjectOutput)
    const target = path.join(dir, 'out', 'app.zip')
    await expect(
      downloadSignedObject(s3, { bucket: 'b', key: 'k', versionId: 'v' }, target, { outputDir: dir })
    ).rejects.toThrow('connection reset')
    expect(fs.readdirSync(path.dirname(target))).toEqual([])
  })

  it('refuses a directory of output-dir that is a symbolic link out of it, before writing', async () => {
    const outside = makeWorkspace()
    fs.symlinkSync(outside, path.join(dir, 'dist'))
    s3Mock.on(GetObjectCommand).resolves(body(['signed']))
    await expect(
      downloadSignedObject(s3, { bucket: 'b', key: 'k', versionId: 'v' }, path.join(dir, 'dist', 'app.zip'), {
        outputDir: dir
      })
    ).rejects.toThrow(/refusing to write app.zip into .* outside/)
    expect(fs.readdirSync(outside)).toEqual([])
    fs.rmSync(outside, { recursive: true, force: true })
  })
})
