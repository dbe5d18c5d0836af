import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3'
import { DescribeSigningJobCommand } from '@aws-sdk/client-signer'
import { LocalStack, startStack } from '../../scripts/stack'
import { OUTPUT_NAMES } from '../../src/report/outputs'
import { clientRequestToken } from '../../src/sign/token'
import { errorLines, makeWorkspace } from '../../scripts/run-action'
import { jobsOutput, operations, sha256, sign, versionsUnder } from './sign-support'
import { lambdaZip } from '../../emulator/testing'

let stack: LocalStack
beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 150 })
})
afterAll(async () => {
  await stack?.stop()
})
beforeEach(async () => {
  await stack.emulator.admin.clearCalls()
})

const GITHUB = {
  GITHUB_REPOSITORY: 'acme/firmware',
  GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  GITHUB_RUN_ID: '1001',
  GITHUB_RUN_ATTEMPT: '1'
}

describe('sign mode, end to end', () => {
  it('signs one artifact: every output agrees with S3 and the emulator', async () => {
    const bytes = lambdaZip('lambda bundle v1.2.3\n')
    const workspace = makeWorkspace({ 'build/lambda/function.zip': bytes })
    const run = await sign(
      stack,
      { path: 'build/**/*.zip', 'source-prefix': 'e2e/' },
      { workspace, github: GITHUB }
    )
    expect(run.exitCode).toBe(0)
    const out = run.outputs
    const hash = sha256(bytes)

    // The content hash and the key derived from it.
    expect(out.sha256).toBe(hash)
    expect(out['source-key']).toBe(`e2e/${hash}/function.zip`)

    // The source object: exactly one version, the one named, holding the bytes and the run's metadata.
    const versions = await versionsUnder(stack, 'e2e/')
    expect(versions.map(v => [v.Key, v.VersionId])).toEqual([[out['source-key'], out['source-version-id']]])
    const head = await stack.s3.send(
      new HeadObjectCommand({
        Bucket: stack.bucket,
        Key: out['source-key'],
        VersionId: out['source-version-id']
      })
    )
    expect(head.ContentLength).toBe(bytes.length)
    expect(head.Metadata).toEqual({
      sha256: hash,
      repository: 'acme/firmware',
      commit: GITHUB.GITHUB_SHA,
      ref: 'refs/tags/v1.2.3',
      workflow: 'release',
      'run-id': '1001',
      actor: 'release-bot'
    })

    // The job, as the emulator knows it: this exact source version, this token.
    const job = await stack.signer.send(new DescribeSigningJobCommand({ jobId: out['job-id'] }))
    expect(job.status).toBe('Succeeded')
    expect(out.status).toBe('Succeeded')
    expect(job.source?.s3).toEqual({
      bucketName: stack.bucket,
      key: out['source-key'],
      version: out['source-version-id']
    })
    expect(out['job-owner']).toBe(stack.accountId)
    expect(job.jobOwner).toBe(stack.accountId)
    expect(out['signature-expires-at']).toBe(job.signatureExpiresAt?.toISOString())
    expect(out['signature-expires-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    const [start] = await stack.emulator.admin.calls('StartSigningJob')
    expect(start.input).toMatchObject({
      clientRequestToken: out['client-request-token'],
      profileName: stack.profileName,
      source: { s3: { bucketName: stack.bucket, key: out['source-key'], version: out['source-version-id'] } },
      destination: { s3: { bucketName: stack.bucket, prefix: 'signed/' } }
    })
    expect(out['client-request-token']).toBe(
      clientRequestToken({
        repository: 'acme/firmware',
        commit: GITHUB.GITHUB_SHA,
        profileName: stack.profileName,
        sourceBucket: stack.bucket,
        sourceKey: out['source-key'],
        sha256: hash,
        destinationBucket: stack.bucket,
        destinationPrefix: 'signed/'
      })
    )

    // The signed object, and the file downloaded from it, under output-dir with the artifact's path.
    expect(out['signed-bucket']).toBe(job.signedObject?.s3?.bucketName)
    expect(out['signed-key']).toBe(job.signedObject?.s3?.key)
    expect(out['signed-key'].startsWith('signed/')).toBe(true)
    expect(out['signed-path']).toBe(path.join(workspace, 'signed', 'build', 'lambda', 'function.zip'))
    // signed-version-id is the version Signer wrote (the key's only one here), and the one downloaded.
    const signedVersions = await versionsUnder(stack, out['signed-key'])
    expect(signedVersions.map(version => version.VersionId)).toEqual([out['signed-version-id']])
    const signed = await stack.s3.send(
      new GetObjectCommand({
        Bucket: out['signed-bucket'],
        Key: out['signed-key'],
        VersionId: out['signed-version-id']
      })
    )
    const signedBytes = Buffer.from((await signed.Body?.transformToByteArray()) ?? [])
    expect(signedBytes.length).toBeGreaterThan(bytes.length)
    expect(fs.readFileSync(out['signed-path']).equals(signedBytes)).toBe(true)
    // What was signed is our artifact's bytes, with the profile's key (the emulator's JSON envelope).
    const envelope = JSON.parse(signedBytes.toString('utf8'))
    expect(envelope.payloadSha256).toBe(hash)
    expect(envelope.source).toEqual({
      bucketName: stack.bucket,
      key: out['source-key'],
      version: out['source-version-id']
    })
    const certificate = new crypto.X509Certificate(envelope.certificate)
    const payload = Buffer.from(envelope.payload, 'base64')
    expect(payload.equals(bytes)).toBe(true)
    expect(
      crypto.verify('sha384', payload, certificate.publicKey, Buffer.from(envelope.signature, 'base64'))
    ).toBe(true)

    // jobs repeats the single outputs; nothing undeclared was set.
    expect(jobsOutput(run)).toEqual([
      {
        path: 'build/lambda/function.zip',
        sha256: hash,
        sourceKey: out['source-key'],
        sourceVersionId: out['source-version-id'],
        clientRequestToken: out['client-request-token'],
        jobId: out['job-id'],
        jobOwner: out['job-owner'],
        status: 'Succeeded',
        signatureExpiresAt: out['signature-expires-at'],
        signedBucket: out['signed-bucket'],
        signedKey: out['signed-key'],
        signedVersionId: out['signed-version-id'],
        signedPath: out['signed-path'],
        signedSha256: sha256(fs.readFileSync(out['signed-path']))
      }
    ])
    expect(out['signed-sha256']).toBe(sha256(fs.readFileSync(out['signed-path'])))
    expect(Object.keys(out).sort()).toEqual(
      // Every output but those of revoke, permissions and verify mode.
      OUTPUT_NAMES.filter(
        name =>
          !/revoke|planned|skipped|failed-job|unresolved|contradicted|record-path|^permissions$|^revision-id$|^changed$|^verdict$|^invalid-job-ids$|^functions$/.test(
            name
          )
      ).sort()
    )

    // The summary: a row with the job linked to the console.
    expect(run.summary).toContain('<h2>AWS Signer</h2>')
    expect(run.summary).toContain(
      `<a href="https://us-east-1.console.aws.amazon.com/signer/home?region=us-east-1#/jobs/${out['job-id']}">`
    )
    expect(run.summary).toContain(`<code>${hash.slice(0, 12)}</code>`)
    expect(run.stdout).toContain(`::group::build/lambda/function.zip: job ${out['job-id']} Succeeded`)

    // Preflight before anything else.
    expect((await operations(stack)).slice(0, 3)).toEqual([
      'GetSigningProfile',
      'GetSigningPlatform',
      'StartSigningJob'
    ])
  })

  it('a re-run with another run id and attempt gets the same job, token and source version', async () => {
    const workspace = makeWorkspace({ 'dist/app.zip': lambdaZip('rerun bytes') })
    const inputs = { path: 'dist/app.zip', 'source-prefix': 'rerun/' }
    const first = await sign(stack, inputs, { workspace, github: GITHUB })
    expect(first.exitCode).toBe(0)
    fs.rmSync(path.join(workspace, 'signed'), { recursive: true })
    const second = await sign(stack, inputs, {
      workspace,
      github: { ...GITHUB, GITHUB_RUN_ID: '2002', GITHUB_RUN_ATTEMPT: '3', GITHUB_ACTOR: 'someone-else' }
    })
    expect(second.exitCode).toBe(0)

    for (const name of ['job-id', 'client-request-token', 'source-key', 'source-version-id', 'signed-key']) {
      expect([name, second.outputs[name]]).toEqual([name, first.outputs[name]])
    }
    // One object version: the second run reused it (its metadata still names the first run).
    const versions = await versionsUnder(stack, 'rerun/')
    expect(versions).toHaveLength(1)
    const head = await stack.s3.send(
      new HeadObjectCommand({ Bucket: stack.bucket, Key: first.outputs['source-key'] })
    )
    expect(head.Metadata?.['run-id']).toBe('1001')
    expect(second.stdout).toContain('it already holds these bytes')
    // Both runs asked Signer with the same token and got the one job back; the file was downloaded again.
    const starts = await stack.emulator.admin.calls('StartSigningJob')
    expect(starts.map(call => call.input.clientRequestToken)).toEqual([
      first.outputs['client-request-token'],
      first.outputs['client-request-token']
    ])
    expect(fs.existsSync(second.outputs['signed-path'])).toBe(true)
  })

  it('a re-run after the source key was deleted reuses the older version that holds the bytes', async () => {
    const workspace = makeWorkspace({ 'dist/app.zip': lambdaZip('bytes behind a delete marker') })
    const inputs = { path: 'dist/app.zip', 'source-prefix': 'deleted/' }
    const first = await sign(stack, inputs, { workspace, github: GITHUB })
    expect(first.exitCode).toBe(0)
    // A lifecycle rule or a clean-up deletes the key: its current version becomes a delete marker.
    await stack.s3.send(new DeleteObjectCommand({ Bucket: stack.bucket, Key: first.outputs['source-key'] }))

    const second = await sign(stack, inputs, { workspace, github: { ...GITHUB, GITHUB_RUN_ID: '3003' } })
    expect(second.exitCode).toBe(0)
    expect(second.outputs['source-version-id']).toBe(first.outputs['source-version-id'])
    expect(second.outputs['job-id']).toBe(first.outputs['job-id'])
    const versions = await versionsUnder(stack, 'deleted/')
    expect(versions).toHaveLength(2) // the original version and the delete marker: nothing uploaded again
    expect(second.stdout).toContain('it already holds these bytes')
  })

  it('changed bytes give a new source key, token and job', async () => {
    const workspace = makeWorkspace({ 'dist/app.zip': lambdaZip('version one') })
    const inputs = { path: 'dist/app.zip', 'source-prefix': 'changed/' }
    const first = await sign(stack, inputs, { workspace, github: GITHUB })
    fs.writeFileSync(path.join(workspace, 'dist/app.zip'), lambdaZip('version two'))
    const second = await sign(stack, inputs, { workspace, github: GITHUB })
    expect([first.exitCode, second.exitCode]).toEqual([0, 0])
    expect(second.outputs.sha256).toBe(sha256(lambdaZip('version two')))
    for (const name of ['job-id', 'client-request-token', 'source-key', 'source-version-id', 'signed-key']) {
      expect([name, second.outputs[name]]).not.toEqual([name, first.outputs[name]])
    }
    expect((await versionsUnder(stack, 'changed/')).map(v => v.Key).sort()).toEqual(
      [first.outputs['source-key'], second.outputs['source-key']].sort()
    )
    // The emulator's signed object is a JSON envelope around the payload: the new bytes were signed.
    expect(JSON.parse(fs.readFileSync(second.outputs['signed-path'], 'utf8')).payloadSha256).toBe(
      sha256(lambdaZip('version two'))
    )
  })

  it('signs several globs and files, concurrently, each into output-dir', async () => {
    const workspace = makeWorkspace({
      'dist/a.zip': lambdaZip('a'),
      'dist/b.zip': lambdaZip('b'),
      'dist/readme.md': lambdaZip('not signed'),
      'firmware/x/image.bin': lambdaZip('x'),
      'firmware/y/image.bin': lambdaZip('y'),
      'firmware/y/skip.bin': lambdaZip('skip')
    })
    const run = await sign(
      stack,
      {
        path: 'dist/*.zip\nfirmware/**/*.bin\n!firmware/**/skip.bin\ndist/a.zip',
        'source-prefix': 'many/',
        'output-dir': 'out/signed',
        'max-concurrency': '3'
      },
      { workspace }
    )
    expect(run.exitCode).toBe(0)
    const jobs = jobsOutput(run)
    expect(jobs.map(job => job.path)).toEqual([
      'dist/a.zip',
      'dist/b.zip',
      'firmware/x/image.bin',
      'firmware/y/image.bin'
    ])
    expect(new Set(jobs.map(job => job.jobId)).size).toBe(4)
    for (const job of jobs) {
      expect(job.status).toBe('Succeeded')
      expect(job.signedPath).toBe(path.join(workspace, 'out/signed', job.path))
      expect(fs.existsSync(job.signedPath as string)).toBe(true)
    }
    // Single-artifact outputs only with one artifact.
    expect(run.outputs).not.toHaveProperty('job-id')
    expect(await stack.emulator.admin.calls('StartSigningJob')).toHaveLength(4)
    expect(await versionsUnder(stack, 'many/')).toHaveLength(4)
  })

  it('wait: false starts the job and returns while it runs', async () => {
    // A job that never finishes: the step can only have ended without waiting, whatever the machine's load.
    await stack.emulator.admin.injectFault({ type: 'hangJobs', count: 1 })
    try {
      const workspace = makeWorkspace({ 'app.zip': lambdaZip('no wait') })
      const run = await sign(
        stack,
        { path: 'app.zip', wait: 'false', 'source-prefix': 'nowait/' },
        { workspace }
      )
      expect(run.exitCode).toBe(0)
      expect(run.outputs.status).toBe('InProgress')
      expect(run.outputs['job-id']).toMatch(/\S/)
      expect(run.outputs).not.toHaveProperty('signed-path')
      expect(run.outputs).not.toHaveProperty('signature-expires-at')
      // Only the manifest: the job's provenance, without the signed file's hash.
      expect(fs.readdirSync(path.join(workspace, 'signed'))).toEqual(['manifest.json'])
      expect(await stack.emulator.admin.calls('DescribeSigningJob')).toHaveLength(1)
      const job = await stack.signer.send(new DescribeSigningJobCommand({ jobId: run.outputs['job-id'] }))
      expect(job.status).toBe('InProgress')
    } finally {
      await stack.emulator.admin.clearFaults()
    }
  })

  it('download: false waits for the job and writes no file but the manifest', async () => {
    const workspace = makeWorkspace({ 'app.zip': lambdaZip('no download') })
    const run = await sign(
      stack,
      { path: 'app.zip', download: 'false', 'source-prefix': 'nodl/' },
      { workspace }
    )
    expect(run.exitCode).toBe(0)
    expect(run.outputs.status).toBe('Succeeded')
    expect(run.outputs['signed-key']).toMatch(/^signed\//)
    expect(run.outputs['signature-expires-at']).toMatch(/Z$/)
    expect(run.outputs).not.toHaveProperty('signed-path')
    expect(run.outputs).not.toHaveProperty('signed-sha256')
    expect(fs.readdirSync(path.join(workspace, 'signed'))).toEqual(['manifest.json'])
  })

  it('show-summary: false writes no job summary', async () => {
    const workspace = makeWorkspace({ 'app.zip': lambdaZip('no summary') })
    const run = await sign(
      stack,
      { path: 'app.zip', 'show-summary': 'false', 'source-prefix': 'nosum/' },
      { workspace }
    )
    expect(run.exitCode).toBe(0)
    expect(run.summary).toBe('')
  })

  it('fails on a glob that matches nothing before any AWS call', async () => {
    const run = await sign(
      stack,
      { path: 'dist/*.zip\nmissing.bin' },
      { workspace: makeWorkspace({ 'x.txt': lambdaZip('x') }) }
    )
    expect(run.exitCode).toBe(1)
    expect(errorLines(run)).toEqual([
      `::error::Input 'path': 'dist/*.zip', 'missing.bin' matched no file in the workspace ${run.workspace}: ` +
        'nothing to sign. Check the build step that should write them'
    ])
    expect(await operations(stack)).toEqual([])
    expect(run.outputs).toEqual({})
  })
})
