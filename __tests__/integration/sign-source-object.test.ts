import * as fs from 'node:fs'
import * as path from 'node:path'
import { CreateBucketCommand, PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { LocalStack, startStack } from '../../scripts/stack'
import { errorLines, makeWorkspace } from '../../scripts/run-action'
import { clientRequestToken } from '../../src/sign/token'
import { jobsOutput, operations, sha256, sign, versionsUnder } from './sign-support'
import { lambdaZip } from '../../emulator/testing'

/** Where a SAM or CDK pipeline left its build: a versioned bucket other than the action's own. */
const BUILDS = 'sam-builds'
const PLAIN = 'never-versioned-builds'
const GITHUB = { GITHUB_REPOSITORY: 'acme/lambda', GITHUB_SHA: 'c0ffee0000000000000000000000000000000001' }

let stack: LocalStack
beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 100 })
  await stack.s3.send(new CreateBucketCommand({ Bucket: BUILDS }))
  await stack.s3.send(
    new PutBucketVersioningCommand({ Bucket: BUILDS, VersioningConfiguration: { Status: 'Enabled' } })
  )
  await stack.s3.send(new CreateBucketCommand({ Bucket: PLAIN }))
})
afterAll(async () => {
  await stack?.stop()
})
beforeEach(async () => {
  await stack.emulator.admin.clearCalls()
})

async function put(bucket: string, key: string, body: string | Buffer, withSha256 = false): Promise<string> {
  const put = await stack.s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ...(withSha256 ? { ChecksumAlgorithm: 'SHA256' as const } : {})
    })
  )
  return put.VersionId ?? ''
}

/** Signs an object: no path, and no source-bucket (the sign() helper would otherwise give the stack's). */
function signObject(uri: string, inputs: Record<string, string> = {}, workspace = makeWorkspace()) {
  return sign(stack, { 'source-bucket': '', 'source-object': uri, ...inputs }, { workspace, github: GITHUB })
}

/** What the emulator signed: its envelope names the source version and the payload's hash. */
async function signedEnvelope(signedPath: string): Promise<{ payloadSha256: string; source: unknown }> {
  return JSON.parse(fs.readFileSync(signedPath, 'utf8'))
}

describe('sign mode with source-object: an object already in S3, signed in place', () => {
  it('without versionId: the current version is read, pinned and signed; nothing is uploaded', async () => {
    const key = 'builds/app/function.zip'
    const bytes = lambdaZip('sam build output v1')
    const version = await put(BUILDS, key, bytes, true)
    const before = await versionsUnder(stack, '', BUILDS)
    const workspace = makeWorkspace()

    const run = await signObject(`s3://${BUILDS}/${key}`, {}, workspace)
    expect(errorLines(run)).toEqual([])
    expect(run.exitCode).toBe(0)
    const out = run.outputs

    // The version that was current, pinned; S3's stored SHA-256 is the artifact's hash.
    expect(out['source-key']).toBe(key)
    expect(out['source-version-id']).toBe(version)
    expect(out.sha256).toBe(sha256(bytes))
    expect(run.stdout).toContain(`Pinned the current version of s3://${BUILDS}/${key}: ${version}`)
    const [start] = await stack.emulator.admin.calls('StartSigningJob')
    expect(start.input).toMatchObject({
      clientRequestToken: out['client-request-token'],
      source: { s3: { bucketName: BUILDS, key, version } },
      // The destination defaults to the object's bucket.
      destination: { s3: { bucketName: BUILDS, prefix: 'signed/' } }
    })
    expect(out['client-request-token']).toBe(
      clientRequestToken({
        repository: GITHUB.GITHUB_REPOSITORY,
        commit: GITHUB.GITHUB_SHA,
        profileName: stack.profileName,
        sourceBucket: BUILDS,
        sourceKey: key,
        sha256: '',
        sourceVersionId: version,
        destinationBucket: BUILDS,
        destinationPrefix: 'signed/'
      })
    )

    // No upload: the bucket gained the signed object and its job's provenance records only, the action's
    // bucket nothing.
    const after = await versionsUnder(stack, '', BUILDS)
    const added = after.filter(v => !before.some(b => b.VersionId === v.VersionId)).map(v => String(v.Key))
    expect(added.filter(key => !key.startsWith('signed/provenance/'))).toEqual([out['signed-key']])
    expect(added).toContain(`signed/provenance/jobs/${out['job-id']}.json`)
    expect(await versionsUnder(stack, '')).toEqual([])
    expect((await operations(stack)).slice(0, 3)).toEqual([
      'GetSigningProfile',
      'GetSigningPlatform',
      'StartSigningJob'
    ])

    // Downloaded to output-dir/<last key segment>; the checksums file lists it by that name.
    expect(out['signed-path']).toBe(path.join(workspace, 'signed', 'function.zip'))
    const signedBytes = fs.readFileSync(out['signed-path'])
    const envelope = await signedEnvelope(out['signed-path'])
    expect(envelope.payloadSha256).toBe(sha256(bytes))
    expect(envelope.source).toEqual({ bucketName: BUILDS, key, version })
    expect(fs.readFileSync(out['subject-checksums'], 'utf8')).toBe(`${sha256(signedBytes)}  function.zip\n`)
    expect(jobsOutput(run)[0]).toMatchObject({ path: `s3://${BUILDS}/${key}`, sha256: sha256(bytes) })

    // A re-run of the same commit sends the same token and gets the same job back.
    const again = await signObject(`s3://${BUILDS}/${key}`)
    expect(again.exitCode).toBe(0)
    expect(again.outputs['job-id']).toBe(out['job-id'])
  })

  it('with versionId: that version is signed, not the current one; no stored SHA-256 leaves sha256 unknown', async () => {
    const key = 'builds/lib/layer.zip'
    const first = await put(BUILDS, key, lambdaZip('layer v1'))
    await put(BUILDS, key, lambdaZip('layer v2, now current'))

    const run = await signObject(`s3://${BUILDS}/${key}?versionId=${first}`)
    expect(errorLines(run)).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs['source-version-id']).toBe(first)
    const envelope = await signedEnvelope(run.outputs['signed-path'])
    expect(envelope.payloadSha256).toBe(sha256(lambdaZip('layer v1')))
    expect(envelope.source).toEqual({ bucketName: BUILDS, key, version: first })
    // S3 holds no SHA-256 for this object and the action never reads its bytes: unknown, not guessed.
    expect(run.outputs.sha256).toBeUndefined()
    expect(jobsOutput(run)[0].sha256).toBeNull()
    expect(run.stdout).toContain('sha256 unknown')
  })

  it('a missing object, or a missing version, fails before StartSigningJob', async () => {
    const missing = await signObject(`s3://${BUILDS}/builds/nothing-here.zip`)
    expect(missing.exitCode).toBe(1)
    expect(errorLines(missing)).toEqual([
      `::error::source-object s3://${BUILDS}/builds/nothing-here.zip was not found: no such key in bucket ` +
        `'${BUILDS}'; check the URI (\`aws s3 ls s3://${BUILDS}/builds/nothing-here.zip\`)`
    ])

    const key = 'builds/app/versioned.zip'
    await put(BUILDS, key, 'exists')
    const noVersion = await signObject(`s3://${BUILDS}/${key}?versionId=0000aaaa-no-such-version`)
    expect(noVersion.exitCode).toBe(1)
    expect(errorLines(noVersion).join('\n')).toContain(
      `source-object s3://${BUILDS}/${key}: version '0000aaaa-no-such-version' does not exist`
    )

    expect(await operations(stack)).not.toContain('StartSigningJob')
    expect(missing.outputs).toEqual({})
    expect(noVersion.outputs).toEqual({})
  })

  it.each([
    ['without versionId', ''],
    ['with a versionId', '?versionId=3HL4kqtJlcpXroDTDmjVBH40Nrjfkd']
  ])('a bucket without versioning fails with how to enable it (%s)', async (_label, query) => {
    await put(PLAIN, 'app.zip', 'unversioned bytes')
    const run = await signObject(`s3://${PLAIN}/app.zip${query}`)
    expect(run.exitCode).toBe(1)
    expect(errorLines(run)).toEqual([
      `::error::source-bucket '${PLAIN}' has never had versioning enabled: Signer signs an exact object version, so ` +
        'versioning must be Enabled. Enable it with `aws s3api put-bucket-versioning --bucket ' +
        `${PLAIN} --versioning-configuration Status=Enabled --region us-east-1\``
    ])
    expect(await operations(stack)).not.toContain('StartSigningJob')
  })

  it('path and source-object together are an input error naming both, before any AWS call', async () => {
    const workspace = makeWorkspace({ 'dist/app.zip': lambdaZip('a file') })
    const run = await sign(
      stack,
      { path: 'dist/app.zip', 'source-object': `s3://${BUILDS}/builds/app/function.zip` },
      { workspace }
    )
    expect(run.exitCode).toBe(1)
    expect(errorLines(run)).toEqual([
      "::error::Input 'source-object': and 'path' were both given: give path to upload and sign files, or " +
        'source-object to sign an object already in S3, not both'
    ])
    expect(await operations(stack)).toEqual([])
    expect(await versionsUnder(stack, '')).toEqual([])
  })

  it('a malformed URI is an input error naming source-object, before any AWS call', async () => {
    const run = await signObject(`https://${BUILDS}.s3.amazonaws.com/builds/app/function.zip`)
    expect(run.exitCode).toBe(1)
    expect(errorLines(run)).toEqual([
      "::error::Input 'source-object': expected s3://bucket/key or s3://bucket/key?versionId=VERSION, got " +
        `'https://${BUILDS}.s3.amazonaws.com/builds/app/function.zip': not an s3:// URI with a bucket and a key`
    ])
    expect(await operations(stack)).toEqual([])
  })
})
