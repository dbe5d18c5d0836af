import { randomUUID } from 'node:crypto'
import { PutSigningProfileCommand, StartSigningJobCommand } from '@aws-sdk/client-signer'
import { LocalStack, startStack } from '../../scripts/stack'
import { errorLines, runAction } from '../../scripts/run-action'
import { createJobs, uploadArtifact } from './revoke-support'

const REASON = 'INC-4716: what can be revoked'
const LAMBDA = 'AWSLambda-SHA384-ECDSA'
const IOT = 'AWSIoTDeviceManagement-SHA256-ECDSA'
let stack: LocalStack
let windowStart: Date
let lambdaJobs: string[]
let iotJob: string
let failedJob: string
let runningJob: string

beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 20 })
  await stack.signer.send(
    new PutSigningProfileCommand({
      profileName: 'iot_jobs',
      platformId: IOT,
      signingMaterial: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' }
    })
  )
  windowStart = new Date(Date.now() - 1000)
  lambdaJobs = await createJobs(stack, 3)
  ;[iotJob] = await createJobs(stack, 1, 'iot_jobs')
  await stack.emulator.admin.injectFault({ type: 'failJobs', profileName: stack.profileName, count: 1 })
  ;[failedJob] = await createJobs(stack, 1)
  // Last, since createJobs waits until no job is in progress: this one never finishes.
  await stack.emulator.admin.injectFault({ type: 'hangJobs', profileName: stack.profileName, count: 1 })
  const source = await uploadArtifact(stack)
  const started = await stack.signer.send(
    new StartSigningJobCommand({
      profileName: stack.profileName,
      clientRequestToken: randomUUID(),
      source: { s3: { bucketName: stack.bucket, key: source.key, version: source.version } },
      destination: { s3: { bucketName: stack.bucket, prefix: 'signed/' } }
    })
  )
  runningJob = started.jobId ?? ''
})

afterAll(async () => {
  await stack?.stop()
})

beforeEach(async () => {
  await stack.emulator.admin.clearCalls()
})

function revoke(inputs: Record<string, string>) {
  return runAction({ inputs: { mode: 'revoke', reason: REASON, ...inputs }, env: stack.env })
}

async function callsOf(operation: string) {
  return (await stack.emulator.admin.calls(operation)).map(call => call.input)
}

describe('revoke mode: only Succeeded jobs on a platform with revocation can be revoked', () => {
  it('fails the dry run on the jobs the real run cannot revoke, with the reason, and the real run the same way', async () => {
    const inputs = { 'job-id': [lambdaJobs[0], iotJob, failedJob, runningJob].join(',') }
    const dry = await revoke({ ...inputs, 'dry-run': 'true' })
    expect(dry.exitCode).toBe(1)
    expect(dry.outputs['planned-job-ids']).toBe(JSON.stringify([lambdaJobs[0]]))
    expect(dry.outputs['failed-job-ids']).toBe(JSON.stringify([iotJob, failedJob, runningJob]))
    expect(errorLines(dry)).toEqual([
      `::error::Signing job ${iotJob}: signing platform AWS IoT Device Management SHA256-ECDSA (${IOT}) does not ` +
        'support revocation (revocationSupported is false)',
      `::error::Signing job ${failedJob}: the job is Failed: only a Succeeded job has a signature to revoke`,
      `::error::Signing job ${runningJob}: the job is InProgress: only a Succeeded job has a signature to revoke; run ` +
        'again once it has finished',
      `::error::Dry run: cannot revoke signing job(s) ${iotJob}, ${failedJob}, ${runningJob}. Each is reported above with its cause.`
    ])
    expect(await callsOf('RevokeSignature')).toEqual([])
    // One GetSigningPlatform per platform, not per job.
    expect((await callsOf('GetSigningPlatform')).map(input => input.platformId).sort()).toEqual([IOT, LAMBDA])

    await stack.emulator.admin.clearCalls()
    const real = await revoke(inputs)
    expect(real.exitCode).toBe(1)
    expect(real.outputs['revoked-job-ids']).toBe(JSON.stringify([lambdaJobs[0]]))
    expect(real.outputs['failed-job-ids']).toBe(dry.outputs['failed-job-ids'])
    expect((await callsOf('RevokeSignature')).map(input => input.jobId)).toEqual([lambdaJobs[0]])
  })

  it('lists only InProgress and Succeeded jobs, and reports a job of the window still in progress', async () => {
    const run = await revoke({
      'profile-name': stack.profileName,
      'signed-after': windowStart.toISOString(),
      'dry-run': 'true'
    })
    expect(run.exitCode).toBe(1)
    // The first Lambda job is revoked by the test above when both run: planned or skipped, never failed.
    const revocable = [
      ...JSON.parse(run.outputs['planned-job-ids']),
      ...JSON.parse(run.outputs['skipped-job-ids'])
    ]
    expect(revocable.sort()).toEqual([...lambdaJobs].sort())
    expect(run.outputs['failed-job-ids']).toBe(JSON.stringify([runningJob]))
    // The Failed job is never read: the API filters on status.
    expect((await callsOf('ListSigningJobs')).map(input => [input.status, input.platformId])).toEqual([
      ['InProgress', undefined],
      ['Succeeded', undefined]
    ])
    expect(run.stdout).not.toContain(failedJob)
    // Listed: 1 InProgress, then 3 Lambda and 1 IoT Succeeded; found: the 3 Lambda jobs and the running one.
    expect(run.stdout).toContain('4 job(s) found among 5 listed in 2 page(s)')
  })

  it('filters the listing on the platform of the profile it also revokes', async () => {
    const profile = await stack.signer.send(
      new PutSigningProfileCommand({ profileName: stack.profileName, platformId: LAMBDA })
    )
    const run = await revoke({
      'profile-name': stack.profileName,
      'profile-version': profile.profileVersion ?? '',
      'effective-time': windowStart.toISOString(),
      'signed-after': windowStart.toISOString(),
      'dry-run': 'true'
    })
    expect(run.exitCode).toBe(1)
    expect((await callsOf('ListSigningJobs')).map(input => [input.status, input.platformId])).toEqual([
      ['InProgress', LAMBDA],
      ['Succeeded', LAMBDA]
    ])
    // The IoT job is no longer read.
    expect(run.stdout).toContain('4 job(s) found among 4 listed in 2 page(s)')
  })
})

describe('revoke mode: two years of job history', () => {
  it('warns when the window reaches back more than two years, and not when it does not', async () => {
    const year = 365 * 24 * 3600 * 1000
    const old = await revoke({
      'profile-name': stack.profileName,
      'signed-after': new Date(Date.now() - 3 * year).toISOString(),
      'signed-before': new Date(Date.now() - 2.5 * year).toISOString(),
      'dry-run': 'true'
    })
    expect(old.exitCode).toBe(0)
    expect(old.stdout).toMatch(
      /::warning::The time window reaches back before \S+: ListSigningJobs shows signing jobs for two years only, so older jobs of profile release_signing cannot be found by this search/
    )
    expect(old.summary).toContain('are no longer listed by ListSigningJobs and cannot be found')

    const openStart = await revoke({
      'profile-name': stack.profileName,
      'signed-before': windowStart.toISOString(),
      'dry-run': 'true'
    })
    expect(openStart.stdout).toContain('::warning::The time window reaches back before')

    const recent = await revoke({
      'profile-name': 'iot_jobs',
      'signed-after': windowStart.toISOString(),
      'dry-run': 'true'
    })
    expect(recent.stdout).not.toContain('::warning::')
  })
})
