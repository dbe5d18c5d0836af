import { ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import { LocalStack, startStack } from '../../scripts/stack'
import { errorLines, makeWorkspace } from '../../scripts/run-action'
import {
  PROFILE_OWNER_ACCOUNT as OWNER_ACCOUNT,
  jobsOutput,
  operations,
  putOwnerProfile,
  putProfiles,
  sign,
  versionsUnder
} from './sign-support'
import { lambdaZip } from '../../emulator/testing'

let stack: LocalStack

beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 150 })
  await putProfiles(stack, 'failing_profile', 'hanging_profile', 'flaky_profile', 'retried_profile')
  // Profiles of another account: one shared with the stack's account for both calls the action makes.
  await putOwnerProfile(stack, 'shared_profile', ['signer:GetSigningProfile', 'signer:StartSigningJob'])
  await putOwnerProfile(stack, 'unshared_profile', [])
})
afterAll(async () => {
  await stack?.stop()
})
beforeEach(async () => {
  await stack.emulator.admin.clearFaults()
  await stack.emulator.admin.clearCalls()
})

describe('sign mode: failures and retries', () => {
  it('a Failed job fails the step with its status reason and job id, and still sets the outputs', async () => {
    await stack.emulator.admin.injectFault({
      type: 'failJobs',
      profileName: 'failing_profile',
      statusReason: 'Signing failed: invalid payload format'
    })
    const workspace = makeWorkspace({ 'app.zip': lambdaZip('doomed') })
    const run = await sign(stack, { path: 'app.zip', 'profile-name': 'failing_profile' }, { workspace })
    expect(run.exitCode).toBe(1)
    const jobId = run.outputs['job-id']
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/)
    expect(run.outputs.status).toBe('Failed')
    expect(run.outputs['job-owner']).toBe(stack.accountId)
    expect(run.outputs['source-version-id']).toMatch(/\S/)
    expect(run.outputs).not.toHaveProperty('signed-path')
    expect(errorLines(run)).toEqual([
      `::error title=Signing app.zip failed::Signing job ${jobId} failed: Signing failed: invalid payload format`,
      `::error::Signing failed for 1 of 1 artifact: app.zip (Signing job ${jobId} failed: Signing failed: invalid payload format)`
    ])
    expect(fs.existsSync(`${workspace}/signed`)).toBe(false)
    expect(run.summary).toContain('❌ Failed')
  })

  it('a re-run after a Failed job retries with a new token, and later re-runs find that retry', async () => {
    await stack.emulator.admin.injectFault({
      type: 'failJobs',
      profileName: 'retried_profile',
      statusReason: 'Signing failed: transient'
    })
    const workspace = makeWorkspace({ 'app.zip': lambdaZip('signed on the second try') })
    const inputs = { path: 'app.zip', 'profile-name': 'retried_profile' }
    const first = await sign(stack, inputs, { workspace })
    expect(first.exitCode).toBe(1)
    expect(first.outputs.status).toBe('Failed')
    // Failing during this run is this run's failure: no retry within the run.
    expect(await stack.emulator.admin.calls('StartSigningJob')).toHaveLength(1)

    await stack.emulator.admin.clearFaults()
    const second = await sign(stack, inputs, { workspace, github: { GITHUB_RUN_ATTEMPT: '2' } })
    expect(second.exitCode).toBe(0)
    expect(second.outputs.status).toBe('Succeeded')
    expect(second.outputs['job-id']).not.toBe(first.outputs['job-id'])
    expect(second.outputs['client-request-token']).not.toBe(first.outputs['client-request-token'])
    expect(second.outputs['source-version-id']).toBe(first.outputs['source-version-id'])
    expect(second.stdout).toContain(`Job ${first.outputs['job-id']} for these bytes failed in an earlier run`)

    const third = await sign(stack, inputs, { workspace, github: { GITHUB_RUN_ATTEMPT: '3' } })
    expect(third.exitCode).toBe(0)
    expect(third.outputs['job-id']).toBe(second.outputs['job-id'])
    expect(third.outputs['client-request-token']).toBe(second.outputs['client-request-token'])
    const tokens = (await stack.emulator.admin.calls('StartSigningJob')).map(
      call => call.input.clientRequestToken
    )
    const [failed, retried] = [first, second].map(run => run.outputs['client-request-token'])
    expect(tokens).toEqual([failed, failed, retried, failed, retried])
  })

  it('a cancelled run (SIGINT, as the runner sends) still reports the job it started', async () => {
    await stack.emulator.admin.injectFault({ type: 'hangJobs', profileName: 'hanging_profile' })
    const cancelOnceStarted = async (child: ChildProcess): Promise<void> => {
      // The waiter's first poll (the second DescribeSigningJob) comes after the action recorded the job.
      while ((await stack.emulator.admin.calls('DescribeSigningJob')).length < 2) {
        await new Promise(resolve => setTimeout(resolve, 50))
      }
      child.kill('SIGINT')
    }
    const run = await sign(
      stack,
      { path: 'app.zip', 'profile-name': 'hanging_profile' },
      {
        workspace: makeWorkspace({ 'app.zip': lambdaZip('cancelled') }),
        onStart: child => void cancelOnceStarted(child)
      }
    )
    expect(run.exitCode).toBe(1)
    const [start] = await stack.emulator.admin.calls('StartSigningJob')
    const jobId = run.outputs['job-id']
    expect(start.status).toBe(200)
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/)
    expect(run.outputs.status).toBe('InProgress')
    expect(errorLines(run)).toEqual([
      `::error::Cancelled (SIGINT) with 1 of 1 signing job(s) started (app.zip: job ${jobId}). ` +
        'They go on in AWS Signer; a re-run of this commit finds them by their tokens.'
    ])
  })

  it('a job that does not finish within timeout-seconds fails with its job id', async () => {
    await stack.emulator.admin.injectFault({ type: 'hangJobs', profileName: 'hanging_profile' })
    const started = Date.now()
    const run = await sign(
      stack,
      { path: 'app.zip', 'profile-name': 'hanging_profile', 'timeout-seconds': '2' },
      { workspace: makeWorkspace({ 'app.zip': lambdaZip('never signed') }) }
    )
    const elapsed = Date.now() - started
    expect(run.exitCode).toBe(1)
    const jobId = run.outputs['job-id']
    expect(run.outputs.status).toBe('InProgress')
    expect(errorLines(run).join('\n')).toContain(
      `Signing job ${jobId} did not finish within 2 s; check it with: aws signer describe-signing-job --job-id ${jobId}`
    )
    expect(elapsed).toBeGreaterThan(2000)
    expect(elapsed).toBeLessThan(6000)
    // Polled at 0 s, 1 s and at the deadline: far more often than the SDK's default 20 s delay would.
    expect((await stack.emulator.admin.calls('DescribeSigningJob')).length).toBeGreaterThanOrEqual(3)
  })

  it('rides out throttling (429) and internal errors (500) on every Signer call it makes', async () => {
    const admin = stack.emulator.admin
    await admin.injectFault({ type: 'throttle', operation: 'GetSigningProfile', count: 2 })
    await admin.injectFault({ type: 'serverError', operation: 'GetSigningPlatform', count: 1 })
    await admin.injectFault({ type: 'throttle', operation: 'StartSigningJob', count: 1 })
    await admin.injectFault({ type: 'serverError', operation: 'StartSigningJob', count: 2 })
    await admin.injectFault({ type: 'throttle', operation: 'DescribeSigningJob', count: 1 })
    await admin.injectFault({ type: 'serverError', operation: 'DescribeSigningJob', count: 1 })
    const run = await sign(
      stack,
      { path: 'app.zip', 'profile-name': 'flaky_profile', 'source-prefix': 'flaky/' },
      { workspace: makeWorkspace({ 'app.zip': lambdaZip('flaky network') }) }
    )
    expect(run.exitCode).toBe(0)
    expect(run.outputs.status).toBe('Succeeded')
    expect(await admin.faults()).toEqual([])

    const calls = await admin.calls()
    const statuses = (operation: string): number[] =>
      calls.filter(call => call.operation === operation).map(call => call.status)
    expect(statuses('GetSigningProfile')).toEqual([429, 429, 200])
    expect(statuses('GetSigningPlatform')).toEqual([500, 200])
    expect(statuses('StartSigningJob')).toEqual([429, 500, 500, 200])
    expect(statuses('DescribeSigningJob').slice(0, 2).sort()).toEqual([429, 500])
    expect(statuses('DescribeSigningJob').at(-1)).toBe(200)
    // Each retry of StartSigningJob carried the same token: one job.
    const tokens = calls.filter(c => c.operation === 'StartSigningJob').map(c => c.input.clientRequestToken)
    expect(new Set(tokens)).toEqual(new Set([run.outputs['client-request-token']]))
    expect(await versionsUnder(stack, 'flaky/')).toHaveLength(1)
  })

  it('profile-owner reaches GetSigningProfile and StartSigningJob (a profile shared from another account)', async () => {
    const run = await sign(
      stack,
      { path: 'app.zip', 'profile-name': 'shared_profile', 'profile-owner': OWNER_ACCOUNT },
      { workspace: makeWorkspace({ 'app.zip': lambdaZip('cross-account') }) }
    )
    expect(run.exitCode).toBe(0)
    const [get] = await stack.emulator.admin.calls('GetSigningProfile')
    const [start] = await stack.emulator.admin.calls('StartSigningJob')
    expect(get.input).toMatchObject({ profileName: 'shared_profile', profileOwner: OWNER_ACCOUNT })
    expect(start.input).toMatchObject({ profileName: 'shared_profile', profileOwner: OWNER_ACCOUNT })
    expect([get.accountId, start.accountId]).toEqual([stack.accountId, stack.accountId])
    expect(run.outputs['job-owner']).toBe(OWNER_ACCOUNT)
    expect(run.outputs.status).toBe('Succeeded')
  })

  it('a profile of another account that is not shared: GetSigningProfile is a warning, StartSigningJob refuses', async () => {
    const run = await sign(
      stack,
      { path: 'app.zip', 'profile-name': 'unshared_profile', 'profile-owner': OWNER_ACCOUNT },
      { workspace: makeWorkspace({ 'app.zip': lambdaZip('not shared') }) }
    )
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain(
      `::warning::Cannot read signing profile 'unshared_profile' owned by ${OWNER_ACCOUNT} (GetSigningProfile: AccessDeniedException:`
    )
    expect(errorLines(run)[0]).toMatch(
      new RegExp(
        `^::error title=Signing app.zip failed::AccessDeniedException: .* is not authorized to perform signer:StartSigningJob on unshared_profile owned by ${OWNER_ACCOUNT}`
      )
    )
    expect(await operations(stack)).toEqual(['GetSigningProfile', 'StartSigningJob'])
  })

  it('one failed artifact does not hide the others', async () => {
    await stack.emulator.admin.injectFault({
      type: 'failJobs',
      profileName: 'failing_profile',
      statusReason: 'only the first',
      count: 1
    })
    const run = await sign(
      stack,
      { path: '*.zip', 'profile-name': 'failing_profile', 'max-concurrency': '1' },
      {
        workspace: makeWorkspace({
          'a.zip': lambdaZip('first'),
          'b.zip': lambdaZip('second'),
          'c.zip': lambdaZip('third')
        })
      }
    )
    expect(run.exitCode).toBe(1)
    const jobs = jobsOutput(run)
    expect(jobs.map(job => [job.path, job.status])).toEqual([
      ['a.zip', 'Failed'],
      ['b.zip', 'Succeeded'],
      ['c.zip', 'Succeeded']
    ])
    expect(jobs[1].signedPath && fs.existsSync(jobs[1].signedPath)).toBe(true)
    expect(errorLines(run).at(-1)).toBe(
      `::error::Signing failed for 1 of 3 artifacts: a.zip (Signing job ${jobs[0].jobId} failed: only the first)`
    )
    expect(run.summary).toContain('2 of 3 signed, 1 failed')
  })
})
