import * as fs from 'node:fs'
import { ChildProcess } from 'node:child_process'
import { ListObjectVersionsCommand, ObjectVersion, PutObjectCommand } from '@aws-sdk/client-s3'
import { ListSigningJobsCommand } from '@aws-sdk/client-signer'
import { LocalStack, startStack } from '../../scripts/stack'
import { ActionRun, errorLines, makeWorkspace } from '../../scripts/run-action'
import { createJobs, sleep, waitUntilNoJobInProgress } from './revoke-support'
import { githubRun, ids, readRecord, revoke } from './provenance-support'
import { plantRecord, startS3Denying } from './records-support'
import { putProfiles, sign } from './sign-support'
import { lambdaZip } from '../../emulator/testing'

/**
 * Records against someone holding the sign role: each key is written once (If-None-Match: *), revoke acts only
 * on records that Signer and the job's own record confirm, a record it cannot read leaves its job unresolved,
 * and a run stopped right after StartSigningJob still leaves the record of its job.
 */

const CA = 'ca11ca11aa0718293a4b5c6d7e8f901234567801'
const CB = 'cb22cb22bb0718293a4b5c6d7e8f901234567802'
const SIGN_KEY = 'AKIDSIGNRUN3001'
const SESSION = 'sign-3001-1'

let stack: LocalStack
let first: ActionRun
let workspace: string
let jobA: string

const recordKey = (jobId: string) => `signed/provenance/jobs/${jobId}.json`

beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 20 })
  await putProfiles(stack, 'other_profile')
  // The signing run's credentials are an assumed-role session named after the run, as the examples set it.
  await stack.emulator.admin.configure({
    identities: {
      [SIGN_KEY]: {
        accountId: stack.accountId,
        arn: `arn:aws:sts::${stack.accountId}:assumed-role/SignRole/${SESSION}`
      }
    }
  })
  workspace = makeWorkspace({ 'a.zip': lambdaZip('alpha') })
  first = await sign(
    stack,
    { path: 'a.zip' },
    { workspace, github: githubRun('acme/firmware', CA, '3001'), env: { AWS_ACCESS_KEY_ID: SIGN_KEY } }
  )
  jobA = first.outputs['job-id']
}, 60000)

afterAll(async () => {
  await stack?.stop()
})

beforeEach(async () => {
  await stack.emulator.admin.clearCalls()
})

describe('records written once', () => {
  it("names the run's role session in the start record", async () => {
    expect(first.exitCode).toBe(0)
    const start = await readRecord(stack, recordKey(jobA))
    expect(start.run).toMatchObject({ runId: '3001', startedJob: true, roleSessionName: SESSION })
    expect(start.requestedBy).toBe(`arn:aws:sts::${stack.accountId}:assumed-role/SignRole/${SESSION}`)
  })

  it('a re-run and a later run of the commit add their run keys and rewrite none (one version a key)', async () => {
    const rerun = await sign(
      stack,
      { path: 'a.zip' },
      { workspace, github: githubRun('acme/firmware', CA, '3001', '2') }
    )
    const later = await sign(
      stack,
      { path: 'a.zip' },
      { workspace, github: githubRun('acme/firmware', CA, '3002') }
    )
    for (const run of [rerun, later]) {
      expect(run.exitCode).toBe(0)
      expect(run.outputs['job-id']).toBe(jobA)
    }
    const versions = await recordVersions()
    const keys = [...versions.keys()]
    expect(keys).toEqual(
      expect.arrayContaining([
        recordKey(jobA),
        `signed/provenance/finish/${jobA}.json`,
        `signed/provenance/by-run/3001/acme/firmware/attempt/1/${jobA}.json`,
        `signed/provenance/by-run/3001/acme/firmware/attempt/2/${jobA}.json`,
        `signed/provenance/by-run/3002/acme/firmware/attempt/1/${jobA}.json`
      ])
    )
    for (const key of keys) expect([key, versions.get(key)]).toEqual([key, 1])
    // The later run found the job: its own key says so, the job's record still names the run that started it.
    const laterKey = `signed/provenance/by-run/3002/acme/firmware/attempt/1/${jobA}.json`
    expect((await readRecord(stack, laterKey)).run).toMatchObject({
      startedJob: false,
      roleSessionName: null
    })
    expect((await readRecord(stack, recordKey(jobA))).run.runId).toBe('3001')
  })

  it('refuses to replace a record: S3 answers 412 PreconditionFailed', async () => {
    const overwrite = stack.s3.send(
      new PutObjectCommand({ Bucket: stack.bucket, Key: recordKey(jobA), Body: '{}', IfNoneMatch: '*' })
    )
    await expect(overwrite).rejects.toMatchObject({
      name: 'PreconditionFailed',
      $metadata: { httpStatusCode: 412 }
    })
  })
})

describe('revocations proven against Signer', () => {
  let otherProfileJob: string
  let otherSourceJob: string

  beforeAll(async () => {
    ;[otherProfileJob] = await createJobs(stack, 1, 'other_profile')
    ;[otherSourceJob] = await createJobs(stack, 1)
    const genuine = await readRecord(stack, recordKey(jobA))
    // Records as the sign role can write them: new keys only. Each names the bad commit CB.
    const planted = (jobId: string) => ({
      ...genuine,
      jobId,
      commit: CB,
      requestedBy: null,
      run: { ...genuine.run, runId: '3666', roleSessionName: null }
    })
    for (const jobId of [otherProfileJob, otherSourceJob]) {
      await plantRecord(stack, recordKey(jobId), planted(jobId))
      await plantRecord(
        stack,
        `signed/provenance/by-commit/${CB}/acme/firmware/${jobId}.json`,
        planted(jobId)
      )
    }
    // The good job under the bad commit: its own record (written when it started) says otherwise.
    await plantRecord(stack, `signed/provenance/by-commit/${CB}/acme/firmware/${jobA}.json`, planted(jobA))
    // And under a run it did not start, with a session naming that run.
    await plantRecord(stack, `signed/provenance/by-run/3666/acme/firmware/attempt/1/${jobA}.json`, {
      ...genuine,
      run: { ...genuine.run, runId: '3666', roleSessionName: 'sign-3666-1' }
    })
  }, 30000)

  it('revokes no job of another profile or another source, nor a good job a planted record names, and fails naming each', async () => {
    const run = await revoke(stack, { commit: CB })
    expect(run.exitCode).toBe(1)
    expect(await stack.emulator.admin.calls('RevokeSignature')).toEqual([])
    const contradicted = ids(run, 'contradicted-job-ids')
    expect([...contradicted].sort()).toEqual([jobA, otherProfileJob, otherSourceJob].sort())
    expect(ids(run, 'planned-job-ids')).toEqual([])
    const errors = errorLines(run).join('\n')
    expect(errors).toContain(
      `Signing job ${otherProfileJob}: its provenance record at s3://${stack.bucket}/signed/provenance/by-commit/${CB} is contradicted by AWS Signer (profileName, profileVersion, source key, source version)`
    )
    expect(errors).toContain(
      `Signing job ${otherSourceJob}: its provenance record at s3://${stack.bucket}/signed/provenance/by-commit/${CB} is contradicted by AWS Signer (source key, source version)`
    )
    expect(errors).toContain(
      `Signing job ${jobA}: its provenance record at s3://${stack.bucket}/signed/provenance/by-commit/${CB} is contradicted by its own record (commit)`
    )
    expect(run.summary).toContain(otherProfileJob)
    const record = JSON.parse(fs.readFileSync(run.outputs['record-path'], 'utf8'))
    expect(record.provenance.contradicted.map((c: { jobId: string }) => c.jobId).sort()).toEqual(
      [jobA, otherProfileJob, otherSourceJob].sort()
    )
  })

  it('checks requestedBy where the record names its role session', async () => {
    const run = await revoke(stack, { 'run-id': '3666', 'dry-run': 'true' })
    expect(run.exitCode).toBe(1)
    expect(ids(run, 'contradicted-job-ids')).toEqual([jobA])
    expect(errorLines(run).join('\n')).toContain(
      `Signing job ${jobA}: its provenance record at s3://${stack.bucket}/signed/provenance/by-run/3666/ is contradicted by AWS Signer (role session (requestedBy))`
    )
  })

  it('plans the genuine records of the good commit, proven', async () => {
    const run = await revoke(stack, { commit: CA, 'dry-run': 'true' })
    expect(run.exitCode).toBe(0)
    expect(ids(run, 'planned-job-ids')).toEqual([jobA])
    expect(ids(run, 'contradicted-job-ids')).toEqual([])
  })

  it('leaves a job whose record the revoke role cannot read (403) unresolved, not the whole search', async () => {
    const proxy = await startS3Denying(stack.s3Endpoint, key =>
      key.endsWith(`/by-commit/${CA}/acme/firmware/${jobA}.json`)
    )
    try {
      const run = await revoke(stack, { commit: CA, 'dry-run': 'true' }, { AWS_ENDPOINT_URL_S3: proxy.url })
      expect(run.exitCode).toBe(0)
      expect(ids(run, 'unresolved-job-ids')).toEqual([jobA])
      expect(ids(run, 'planned-job-ids')).toEqual([])
      expect(run.stdout).toContain(
        `::warning::Signing job ${jobA}: its provenance record could not be read (S3 answered 403`
      )
    } finally {
      await proxy.close()
    }
  })
})

describe('a run stopped right after StartSigningJob', () => {
  it('leaves the record of the job it started, which revoke by run finds', async () => {
    await stack.emulator.admin.configure({ jobDurationMs: 3000 })
    const killAfterStart = async (child: ChildProcess): Promise<void> => {
      while ((await stack.emulator.admin.calls('StartSigningJob')).length === 0) await sleep(5)
      child.kill('SIGTERM')
    }
    const run = await sign(
      stack,
      { path: 'b.zip' },
      {
        workspace: makeWorkspace({ 'b.zip': lambdaZip('bravo, cancelled') }),
        github: githubRun('acme/firmware', CA, '3100'),
        onStart: child => void killAfterStart(child)
      }
    )
    await stack.emulator.admin.configure({ jobDurationMs: 20 })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('::error::Cancelled (SIGTERM)')
    expect(await stack.emulator.admin.calls('StartSigningJob')).toHaveLength(1)
    // Killed before the job could finish: it is the one job still in progress.
    const inProgress = await stack.signer.send(new ListSigningJobsCommand({ status: 'InProgress' }))
    const [jobId] = (inProgress.jobs ?? []).map(job => job.jobId as string)
    expect(inProgress.jobs).toHaveLength(1)
    const record = await readRecord(
      stack,
      `signed/provenance/by-run/3100/acme/firmware/attempt/1/${jobId}.json`
    )
    expect(record).toMatchObject({
      kind: 'start',
      jobId,
      commit: CA,
      run: { runId: '3100', artifactPaths: ['b.zip'] }
    })

    await waitUntilNoJobInProgress(stack)
    const revoked = await revoke(stack, { 'run-id': '3100' })
    expect(revoked.exitCode).toBe(0)
    expect(ids(revoked, 'revoked-job-ids')).toEqual([jobId])
  }, 30000)
})

/** How many versions each record key holds, including delete markers. */
async function recordVersions(): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  const listed = await stack.s3.send(
    new ListObjectVersionsCommand({ Bucket: stack.bucket, Prefix: 'signed/provenance/' })
  )
  const all: Pick<ObjectVersion, 'Key'>[] = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])]
  for (const { Key } of all) counts.set(Key as string, (counts.get(Key as string) ?? 0) + 1)
  expect(listed.IsTruncated).toBe(false)
  return counts
}
