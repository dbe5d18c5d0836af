import * as fs from 'node:fs'
import * as path from 'node:path'
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3'
import { DescribeSigningJobCommand } from '@aws-sdk/client-signer'
import { LocalStack, startStack } from '../../scripts/stack'
import { ActionRun, errorLines, makeWorkspace } from '../../scripts/run-action'
import { JobProvenance } from '../../src/provenance/types'
import { createJobs, sleep } from './revoke-support'
import { githubRun, ids, readRecord, revoke } from './provenance-support'
import { jobsOutput, sha256, sign, versionsUnder } from './sign-support'
import { lambdaZip } from '../../emulator/testing'

const C1 = 'c1c1c1c1aa0718293a4b5c6d7e8f901234567801'
const C2 = 'c2c2c2c2bb0718293a4b5c6d7e8f901234567802'
const C3 = 'c3c3c3c3cc0718293a4b5c6d7e8f901234567803'
const C4 = 'c4c4c4c4dd0718293a4b5c6d7e8f901234567804'
const SHARED = lambdaZip('the same bytes, signed from two commits\n')
const BULK = 28

let stack: LocalStack
let signedAfter: Date
let workspaceA: string
let runA: ActionRun
let runB: ActionRun
let runC: ActionRun
let manifestA: string

interface Manifest {
  schemaVersion: number
  repository: string
  commit: string
  jobs: JobProvenance[]
}
const manifest = (run: ActionRun): Manifest =>
  JSON.parse(fs.readFileSync(run.outputs['manifest-path'], 'utf8'))
const jobIdsOf = (run: ActionRun): string[] =>
  [...new Set(jobsOutput(run).map(job => job.jobId as string))].sort()

beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 20 })
  await sleep(5)
  signedAfter = new Date()
  await sleep(5)
  // Commit 1, run 2001: 28 artifacts and the shared one, 29 jobs (more than a ListSigningJobs page).
  const files: Record<string, string | Buffer> = { 'dist/shared.bin': SHARED }
  for (let i = 0; i < BULK; i++)
    files[`dist/bulk/fw-${String(i).padStart(2, '0')}.bin`] = lambdaZip(`firmware ${i}\n`)
  workspaceA = makeWorkspace(files)
  runA = await sign(
    stack,
    { path: 'dist/**/*.bin', 'max-concurrency': '8' },
    { workspace: workspaceA, github: githubRun('acme/firmware', C1, '2001') }
  )
  manifestA = fs.readFileSync(runA.outputs['manifest-path'], 'utf8')
  // Commit 2, run 2002: the same shared bytes, and one more artifact.
  runB = await sign(
    stack,
    { path: 'dist/*.bin' },
    {
      workspace: makeWorkspace({ 'dist/shared.bin': SHARED, 'dist/b.bin': lambdaZip('bravo\n') }),
      github: githubRun('acme/firmware', C2, '2002')
    }
  )
  // Another repository, run 2003.
  runC = await sign(
    stack,
    { path: 'other.bin' },
    {
      workspace: makeWorkspace({ 'other.bin': lambdaZip('other\n') }),
      github: githubRun('acme/other', C3, '2003')
    }
  )
}, 120000)

afterAll(async () => {
  await stack?.stop()
})

beforeEach(async () => {
  await stack.emulator.admin.clearCalls()
})

describe('provenance records of sign mode', () => {
  it('signs from two commits and runs, the same bytes as two jobs on one source version', () => {
    for (const run of [runA, runB, runC]) expect(run.exitCode).toBe(0)
    expect(jobIdsOf(runA)).toHaveLength(BULK + 1)
    const sharedA = jobsOutput(runA).find(job => job.path === 'dist/shared.bin')
    const sharedB = jobsOutput(runB).find(job => job.path === 'dist/shared.bin')
    expect(sharedA?.sourceVersionId).toBe(sharedB?.sourceVersionId)
    expect(sharedA?.sourceKey).toBe(sharedB?.sourceKey)
    expect(sharedA?.jobId).not.toBe(sharedB?.jobId)
  })

  it('writes a manifest that agrees with S3, the emulator and the downloaded files', async () => {
    const written = manifest(runB)
    expect(runB.outputs['manifest-path']).toBe(path.join(runB.workspace, 'signed', 'manifest.json'))
    expect(written).toMatchObject({ schemaVersion: 1, repository: 'acme/firmware', commit: C2 })
    expect(written.jobs.map(job => job.jobId)).toEqual(jobIdsOf(runB))
    for (const record of written.jobs) {
      const output = jobsOutput(runB).find(job => job.jobId === record.jobId)
      if (!output?.signedPath) throw new Error(`no output for job ${record.jobId}`)
      const described = await stack.signer.send(new DescribeSigningJobCommand({ jobId: record.jobId }))
      const signedObject = await stack.s3.send(
        new GetObjectCommand({ Bucket: stack.bucket, Key: described.signedObject?.s3?.key })
      )
      const versions = await versionsUnder(stack, described.signedObject?.s3?.key ?? '')
      const signedBytes = Buffer.from((await signedObject.Body?.transformToByteArray()) ?? [])
      expect(record).toEqual({
        repository: 'acme/firmware',
        commit: C2,
        artifactPaths: [output.path],
        sha256: sha256(fs.readFileSync(path.join(runB.workspace, output.path))),
        signedSha256: sha256(signedBytes),
        jobId: described.jobId,
        jobOwner: described.jobOwner,
        status: 'Succeeded',
        jobCreatedAt: described.createdAt?.toISOString(),
        profileName: stack.profileName,
        profileOwner: null,
        profileVersion: described.profileVersion,
        profileVersionArn: `arn:aws:signer:us-east-1:${stack.accountId}:/signing-profiles/${stack.profileName}/${stack.profileVersion}`,
        platformId: described.platformId,
        signatureExpiresAt: described.signatureExpiresAt?.toISOString(),
        source: {
          bucket: described.source?.s3?.bucketName,
          key: described.source?.s3?.key,
          versionId: described.source?.s3?.version
        },
        signed: { bucket: described.signedObject?.s3?.bucketName, key: described.signedObject?.s3?.key },
        // The one version Signer wrote, as S3 lists it.
        signedVersionId: versions.length === 1 ? versions[0].VersionId : 'more than one version'
      })
      expect(record.profileVersion).toBe(stack.profileVersion)
      expect(sha256(fs.readFileSync(output.signedPath))).toBe(record.signedSha256)
      expect(output.signedSha256).toBe(record.signedSha256)

      // The start record under each index key, written when the job started, with the run that wrote it.
      const run = {
        ref: 'refs/heads/main',
        workflow: 'release',
        runId: '2002',
        runAttempt: '1',
        actor: 'release-bot'
      }
      const start = {
        schemaVersion: 2,
        kind: 'start',
        repository: 'acme/firmware',
        commit: C2,
        sha256: record.sha256,
        jobId: record.jobId,
        jobOwner: record.jobOwner,
        requestedBy: described.requestedBy,
        jobCreatedAt: record.jobCreatedAt,
        profileName: record.profileName,
        profileOwner: null,
        profileVersion: record.profileVersion,
        profileVersionArn: record.profileVersionArn,
        platformId: record.platformId,
        source: record.source,
        run: { ...run, artifactPaths: [output.path], startedJob: true, roleSessionName: null }
      }
      const keys = [
        `signed/provenance/jobs/${record.jobId}.json`,
        `signed/provenance/by-repository/acme/firmware/commit/${C2}/${record.jobId}.json`,
        `signed/provenance/by-commit/${C2}/acme/firmware/${record.jobId}.json`,
        `signed/provenance/by-run/2002/acme/firmware/attempt/1/${record.jobId}.json`
      ]
      for (const key of keys) expect(await readRecord(stack, key)).toEqual(start)
      // What the finish added, in its own object.
      expect(await readRecord(stack, `signed/provenance/finish/${record.jobId}.json`)).toEqual({
        schemaVersion: 2,
        kind: 'finish',
        jobId: record.jobId,
        status: 'Succeeded',
        signatureExpiresAt: record.signatureExpiresAt,
        signed: expect.objectContaining(record.signed),
        signedSha256: record.signedSha256,
        run
      })
    }
  })

  it('sets signed-sha256 with one artifact', () => {
    const [job] = jobsOutput(runC)
    expect(runC.outputs['signed-sha256']).toBe(sha256(fs.readFileSync(job.signedPath as string)))
    expect(manifest(runC).jobs[0].signedSha256).toBe(runC.outputs['signed-sha256'])
  })

  it('writes a byte-identical manifest on a re-run of the same commit, and adds the attempt to the run index', async () => {
    const rerun = await sign(
      stack,
      { path: 'dist/**/*.bin', 'max-concurrency': '8' },
      {
        workspace: workspaceA,
        github: { ...githubRun('acme/firmware', C1, '2001', '2'), GITHUB_ACTOR: 'someone-else' }
      }
    )
    expect(rerun.exitCode).toBe(0)
    expect(jobIdsOf(rerun)).toEqual(jobIdsOf(runA))
    expect(await stack.emulator.admin.calls('StartSigningJob')).toHaveLength(BULK + 1)
    expect(fs.readFileSync(rerun.outputs['manifest-path'], 'utf8')).toBe(manifestA)
    const listed = await stack.s3.send(
      new ListObjectsV2Command({ Bucket: stack.bucket, Prefix: 'signed/provenance/by-run/2001/' })
    )
    const keys = (listed.Contents ?? []).map(object => object.Key as string)
    expect(keys.filter(key => key.includes('/attempt/1/'))).toHaveLength(BULK + 1)
    expect(keys.filter(key => key.includes('/attempt/2/'))).toHaveLength(BULK + 1)
    const [jobId] = jobIdsOf(runA)
    const second = await readRecord(
      stack,
      `signed/provenance/by-run/2001/acme/firmware/attempt/2/${jobId}.json`
    )
    expect(second.run).toMatchObject({ runAttempt: '2', actor: 'someone-else' })
  })
})

describe('revoke by provenance', () => {
  let planned: string[]

  it('plans exactly the jobs of a commit (given by a prefix) in a dry run, across search pages, with a record file', async () => {
    const run = await revoke(stack, {
      commit: C1.slice(0, 8),
      'signed-after': signedAfter.toISOString(),
      'dry-run': 'true'
    })
    expect(run.exitCode).toBe(0)
    planned = ids(run, 'planned-job-ids')
    expect([...planned].sort()).toEqual(jobIdsOf(runA))
    expect(ids(run, 'unresolved-job-ids')).toEqual([])
    expect(await stack.emulator.admin.calls('RevokeSignature')).toEqual([])
    const lists = await stack.emulator.admin.calls('ListSigningJobs')
    expect(lists.length).toBeGreaterThanOrEqual(2)
    expect(run.stdout).toContain(`jobs with commit ${C1.slice(0, 8)}: ${BULK + 1} job(s) matched`)
    expect(run.summary).toContain('provenance record')

    const record = JSON.parse(fs.readFileSync(run.outputs['record-path'], 'utf8'))
    expect(run.outputs['record-path']).toMatch(/signer-revocation-9001-1-dry-run\.json$/)
    expect(record).toMatchObject({
      reason: 'INC-4800: commit built from a compromised branch',
      dryRun: true,
      actor: 'octo-sec',
      inputs: { provenance: { filters: { commit: C1.slice(0, 8) }, recordsPrefix: 'signed/provenance/' } },
      provenance: { matched: BULK + 1, unresolved: [] }
    })
    expect(Date.parse(record.startedAt)).not.toBeNaN()
    expect(record.jobs).toHaveLength(BULK + 1)
    expect(record.jobs.every((job: { outcome: string }) => job.outcome === 'planned')).toBe(true)
  })

  it('refuses a plan that differs from approved-job-ids before any revoke call', async () => {
    const [dropped, ...kept] = planned
    const foreign = jobIdsOf(runB)[0]
    const run = await revoke(stack, {
      commit: C1.slice(0, 8),
      'signed-after': signedAfter.toISOString(),
      'approved-job-ids': JSON.stringify([...kept, foreign])
    })
    expect(run.exitCode).not.toBe(0)
    const [error] = errorLines(run)
    expect(error).toContain(`added (not approved): ${dropped}`)
    expect(error).toContain(`missing (approved, no longer planned): ${foreign}`)
    expect(await stack.emulator.admin.calls('RevokeSignature')).toEqual([])
  })

  it('revokes exactly the approved plan of a commit, and records it', async () => {
    const run = await revoke(stack, {
      commit: C1,
      'signed-after': signedAfter.toISOString(),
      'approved-job-ids': planned.join('\n')
    })
    expect(run.exitCode).toBe(0)
    expect(ids(run, 'revoked-job-ids').sort()).toEqual(jobIdsOf(runA))
    const calls = await stack.emulator.admin.calls('RevokeSignature')
    expect(calls.map(call => call.input.jobId).sort()).toEqual(jobIdsOf(runA))
    const record = JSON.parse(fs.readFileSync(run.outputs['record-path'], 'utf8'))
    expect(record.dryRun).toBe(false)
    expect(record.inputs.approvedJobIds).toEqual(planned)
    expect(record.jobs.map((job: { outcome: string }) => job.outcome)).toEqual(
      Array(BULK + 1).fill('revoked')
    )
    // The other commit's job on the same bytes is untouched.
    const sharedB = jobsOutput(runB).find(job => job.path === 'dist/shared.bin')
    const described = await stack.signer.send(
      new DescribeSigningJobCommand({ jobId: sharedB?.jobId as string })
    )
    expect(described.revocationRecord).toBeUndefined()
  })

  it('revokes exactly the jobs of a run', async () => {
    const run = await revoke(stack, { 'run-id': '2002' })
    expect(run.exitCode).toBe(0)
    expect(ids(run, 'revoked-job-ids').sort()).toEqual(jobIdsOf(runB))
    const calls = await stack.emulator.admin.calls('RevokeSignature')
    expect(calls.map(call => call.input.jobId).sort()).toEqual(jobIdsOf(runB))
  })

  it('revokes exactly the jobs of a repository', async () => {
    const run = await revoke(stack, { repository: 'ACME/Other' })
    expect(run.exitCode).toBe(0)
    expect(ids(run, 'revoked-job-ids')).toEqual(jobIdsOf(runC))
    expect((await stack.emulator.admin.calls('RevokeSignature')).map(call => call.input.jobId)).toEqual(
      jobIdsOf(runC)
    )
  })

  it('reports the jobs of a window without a record as unresolved, and revokes only the matching ones', async () => {
    await sleep(5)
    const after = new Date()
    await sleep(5)
    const unrecorded = await createJobs(stack, 3)
    const runE = await sign(
      stack,
      { path: 'e.bin' },
      {
        workspace: makeWorkspace({ 'e.bin': lambdaZip('echo\n') }),
        github: githubRun('acme/firmware', C4, '2005')
      }
    )
    expect(runE.exitCode).toBe(0)
    await stack.emulator.admin.clearCalls()
    const run = await revoke(stack, { repository: 'acme/firmware', 'signed-after': after.toISOString() })
    expect(run.exitCode).toBe(0)
    expect(ids(run, 'revoked-job-ids')).toEqual(jobIdsOf(runE))
    expect(ids(run, 'unresolved-job-ids').sort()).toEqual([...unrecorded].sort())
    for (const jobId of unrecorded) {
      expect(run.stdout).toContain(
        `::warning::Signing job ${jobId} was found by the time-window search but has no provenance record`
      )
    }
    expect((await stack.emulator.admin.calls('RevokeSignature')).map(call => call.input.jobId)).toEqual(
      jobIdsOf(runE)
    )
    const record = JSON.parse(fs.readFileSync(run.outputs['record-path'], 'utf8'))
    expect(record.provenance.unresolved.sort()).toEqual([...unrecorded].sort())
  })
})
