import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { DescribeSigningJobCommand, StartSigningJobCommand } from '@aws-sdk/client-signer'
import { LocalStack, startStack } from '../../scripts/stack'
import { ActionRun, errorLines, makeWorkspace, runAction } from '../../scripts/run-action'
import { clientRequestToken } from '../../src/sign/token'
import { readRecord } from './provenance-support'
import { sleep, uploadArtifact, waitUntilNoJobInProgress } from './revoke-support'
import { jobsOutput, operations, sha256, sign, versionsUnder } from './sign-support'
import { lambdaZip } from '../../emulator/testing'

/**
 * What an attacker who can start signing jobs, write to the bucket and name files in the workspace can do
 * to a run: none of it gets a job, an object or a workflow command adopted as the run's own.
 */

const GITHUB_SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' // run-action's default context

let stack: LocalStack
beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 100 })
})
afterAll(async () => {
  await stack?.stop()
})
beforeEach(async () => {
  await stack.emulator.admin.clearCalls()
})

const bodyOf = async (key: string, versionId?: string): Promise<Buffer> => {
  const got = await stack.s3.send(
    new GetObjectCommand({ Bucket: stack.bucket, Key: key, VersionId: versionId })
  )
  return Buffer.from((await got.Body?.transformToByteArray()) ?? [])
}

/** Workflow commands in the action's stdout that carry the text: what the runner would act on. */
const commandsCarrying = (run: ActionRun, text: string): string[] =>
  run.stdout.split('\n').filter(line => /^::(warning|error|notice)/.test(line) && line.includes(text))

describe('a job handed back for the run token', () => {
  it('is not adopted when someone started it first on another object; the run signs with its own', async () => {
    const content = lambdaZip('firmware build 7')
    const hash = sha256(content)
    const prefix = 'preempt/'
    // The token the action computes, from public data alone, with another object under it.
    const token = clientRequestToken({
      repository: 'acme/firmware',
      commit: GITHUB_SHA,
      profileName: stack.profileName,
      sourceBucket: stack.bucket,
      sourceKey: `${prefix}${hash}/app.zip`,
      sha256: hash,
      destinationBucket: stack.bucket,
      destinationPrefix: 'signed/'
    })
    const planted = await uploadArtifact(stack, 'elsewhere/backdoor.zip')
    const started = await stack.signer.send(
      new StartSigningJobCommand({
        profileName: stack.profileName,
        clientRequestToken: token,
        source: { s3: { bucketName: stack.bucket, key: planted.key, version: planted.version } },
        destination: { s3: { bucketName: stack.bucket, prefix: 'signed/' } }
      })
    )
    await waitUntilNoJobInProgress(stack)

    const workspace = makeWorkspace({ 'dist/app.zip': content })
    const run = await sign(stack, { path: 'dist/app.zip', 'source-prefix': prefix }, { workspace })
    expect(errorLines(run)).toEqual([])
    expect(run.exitCode).toBe(0)
    const out = run.outputs
    expect(out['job-id']).not.toBe(started.jobId)
    expect(out['client-request-token']).not.toBe(token)
    expect(
      commandsCarrying(run, `Not adopted: signing job ${started.jobId} signs something else`)
    ).toHaveLength(1)
    // The run's job signs the run's upload, and that is what was downloaded and recorded.
    const job = await stack.signer.send(new DescribeSigningJobCommand({ jobId: out['job-id'] }))
    expect(job.source?.s3).toEqual({
      bucketName: stack.bucket,
      key: out['source-key'],
      version: out['source-version-id']
    })
    expect(JSON.parse(fs.readFileSync(out['signed-path'], 'utf8')).payloadSha256).toBe(hash)
    const manifest = JSON.parse(fs.readFileSync(out['manifest-path'], 'utf8'))
    expect(manifest.jobs.map((j: { jobId: string }) => j.jobId)).toEqual([out['job-id']])

    // A re-run finds its own job again through the same fallback token: no third job.
    await stack.emulator.admin.clearCalls()
    const again = await sign(stack, { path: 'dist/app.zip', 'source-prefix': prefix }, { workspace })
    expect(again.exitCode).toBe(0)
    expect(again.outputs['job-id']).toBe(out['job-id'])
    const starts = await stack.emulator.admin.calls('StartSigningJob')
    expect(starts.map(call => (call.input as { clientRequestToken: string }).clientRequestToken)).toEqual([
      token,
      out['client-request-token']
    ])
  })
})

describe('signed-version-id', () => {
  it('is the version Signer wrote: a later overwrite of the signed key is neither output nor downloaded', async () => {
    const workspace = makeWorkspace({ 'dist/fn.zip': lambdaZip('function code') })
    const inputs = { path: 'dist/fn.zip', 'source-prefix': 'pinned/' }
    // As examples/lambda.yml signs: download: false, the deploy reads the object from S3 later.
    const first = await sign(stack, { ...inputs, download: 'false' }, { workspace })
    expect(first.exitCode).toBe(0)
    const { 'signed-key': key, 'signed-version-id': versionId } = first.outputs
    expect(versionId).toBeTruthy()
    expect((await versionsUnder(stack, key)).map(version => version.VersionId)).toEqual([versionId])
    const signedBytes = await bodyOf(key, versionId)

    // Someone who may write to the bucket replaces the signed object while the deploy awaits approval
    // (after the job's completion, past S3's whole-second LastModified).
    await sleep(2100)
    await stack.s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: 'forged' }))

    const rerun = await sign(stack, inputs, { workspace })
    expect(errorLines(rerun)).toEqual([])
    expect(rerun.outputs['signed-key']).toBe(key)
    expect(rerun.outputs['signed-version-id']).toBe(versionId)
    expect(jobsOutput(rerun)[0].signedVersionId).toBe(versionId)
    expect(fs.readFileSync(rerun.outputs['signed-path']).equals(signedBytes)).toBe(true)
    expect((await bodyOf(key)).toString()).toBe('forged')
    const manifest = JSON.parse(fs.readFileSync(rerun.outputs['manifest-path'], 'utf8'))
    expect(manifest.jobs[0].signedVersionId).toBe(versionId)
    // The finish record in S3 names the same version (written once, by the first run).
    const finish = await readRecord(stack, `signed/provenance/finish/${rerun.outputs['job-id']}.json`)
    expect(finish.signed).toEqual({ bucket: stack.bucket, key, versionId })
  })
})

describe('names chosen by the workspace and the dispatcher', () => {
  it('refuses a file named with a newline and a workflow command before any upload, emitting no command', async () => {
    const name = 'evil\n::warning::forged by a file name.zip'
    const workspace = makeWorkspace({ [`dist/${name}`]: lambdaZip('x') })
    const run = await sign(stack, { path: 'dist/*.zip', 'source-prefix': 'newline/' }, { workspace })
    expect(run.exitCode).toBe(1)
    expect(
      commandsCarrying(run, 'forged by a file name').filter(line => line.startsWith('::warning::'))
    ).toEqual([])
    expect(run.stdout).not.toMatch(/^::warning::forged/m)
    expect(errorLines(run).join('\n')).toContain("'dist/evil\\n::warning::forged by a file name.zip'")
    expect(await versionsUnder(stack, 'newline/')).toEqual([])
    expect(await operations(stack)).not.toContain('StartSigningJob')
  })

  it('refuses a revoke reason carrying a workflow command before any AWS call, emitting no command', async () => {
    const run = await runAction({
      env: stack.env,
      inputs: { mode: 'revoke', reason: 'INC-1\n::error::forged by a reason', 'job-id': 'job-1' }
    })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).not.toMatch(/^::error::forged/m)
    expect(errorLines(run).join('\n')).toMatch(/reason.*one line/)
    expect(await operations(stack)).toEqual([])
  })

  it('refuses a symbolic link out of the workspace before any upload: no object, no job', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-'))
    fs.writeFileSync(path.join(outside, 'secret.zip'), 'not built by this workflow')
    const workspace = makeWorkspace({ 'dist/app.zip': lambdaZip('built') })
    fs.symlinkSync(path.join(outside, 'secret.zip'), path.join(workspace, 'dist', 'link.zip'))
    const run = await sign(stack, { path: 'dist/*.zip', 'source-prefix': 'symlink/' }, { workspace })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run).join('\n')).toMatch(/dist\/link.zip', a symbolic link .* outside the workspace/)
    expect(await versionsUnder(stack, 'symlink/')).toEqual([])
    expect(await operations(stack)).not.toContain('StartSigningJob')
    fs.rmSync(outside, { recursive: true, force: true })
  })

  it('refuses an output-dir that is a symbolic link out of the workspace, before any upload', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-'))
    const workspace = makeWorkspace({ 'dist/app.zip': lambdaZip('built') })
    fs.symlinkSync(outside, path.join(workspace, 'signed'))
    const run = await sign(stack, { path: 'dist/app.zip', 'source-prefix': 'outdir/' }, { workspace })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run).join('\n')).toMatch(/output-dir.*not a directory inside the workspace/)
    expect(await versionsUnder(stack, 'outdir/')).toEqual([])
    expect(fs.readdirSync(outside)).toEqual([])
    fs.rmSync(outside, { recursive: true, force: true })
  })
})
