import { ChildProcess } from 'node:child_process'
import * as fs from 'node:fs'
import { LocalStack, startStack } from '../../scripts/stack'
import { errorLines, makeWorkspace } from '../../scripts/run-action'
import { jobsOutput, putProfiles, sign, statusCallBudget } from './sign-support'
import { lambdaZip } from '../../emulator/testing'

let stack: LocalStack

beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 150 })
  await putProfiles(stack, 'hanging_profile')
})
afterAll(async () => {
  await stack?.stop()
})
beforeEach(async () => {
  await stack.emulator.admin.clearFaults()
  await stack.emulator.admin.clearCalls()
})

describe('sign mode: one watcher for every job', () => {
  it('signs 24 artifacts with 4 s jobs, within 2 status calls per artifact plus 2 per second of waiting', async () => {
    await stack.emulator.admin.configure({ jobDurationMs: 4000 })
    try {
      const files: Record<string, Buffer> = {}
      for (let i = 0; i < 24; i++)
        files[`dist/part-${String(i).padStart(2, '0')}.zip`] = lambdaZip(`part ${i}`)
      const run = await sign(
        stack,
        { path: 'dist/*.zip', 'source-prefix': 'fanout/' },
        { workspace: makeWorkspace(files) }
      )
      expect(run.exitCode).toBe(0)
      const jobs = jobsOutput(run)
      expect(jobs).toHaveLength(24)
      expect(
        jobs.every(job => job.status === 'Succeeded' && job.signedPath && fs.existsSync(job.signedPath))
      ).toBe(true)

      const { status, bound } = statusCallBudget(await stack.emulator.admin.calls(), 24)
      expect(status.length).toBeLessThanOrEqual(bound)
      // One listing a pass answered for every job: each job was described once when started, once finished.
      const lists = status.filter(call => call.operation === 'ListSigningJobs')
      expect(lists.length).toBeGreaterThan(0)
      expect(lists[0].input).toMatchObject({
        status: 'InProgress',
        requestedBy: `arn:aws:iam::${stack.accountId}:user/emulator`
      })
      expect(status.filter(call => call.operation === 'DescribeSigningJob')).toHaveLength(48)
    } finally {
      await stack.emulator.admin.configure({ jobDurationMs: 150 })
    }
  })

  it('without signer:ListSigningJobs, warns and signs every artifact by describing the jobs', async () => {
    await stack.emulator.admin.configure({ jobDurationMs: 1500 })
    await stack.emulator.admin.injectFault({
      type: 'error',
      operation: 'ListSigningJobs',
      errorType: 'AccessDeniedException',
      status: 403
    })
    try {
      const run = await sign(
        stack,
        { path: '*.zip', 'source-prefix': 'nolist/' },
        {
          workspace: makeWorkspace({
            'a.zip': lambdaZip('a'),
            'b.zip': lambdaZip('b'),
            'c.zip': lambdaZip('c'),
            'd.zip': lambdaZip('d')
          })
        }
      )
      expect(run.exitCode).toBe(0)
      expect(jobsOutput(run).map(job => job.status)).toEqual([
        'Succeeded',
        'Succeeded',
        'Succeeded',
        'Succeeded'
      ])
      expect(run.stdout).toContain('::warning::ListSigningJobs failed with AccessDeniedException')
      expect(run.stdout).toContain(
        '(it needs signer:ListSigningJobs): watching the jobs with DescribeSigningJob instead'
      )
      expect(await stack.emulator.admin.calls('ListSigningJobs')).toHaveLength(1)
    } finally {
      await stack.emulator.admin.configure({ jobDurationMs: 150 })
    }
  })
})

describe('sign mode: a denied read while waiting (AccessDenied fails at once)', () => {
  const deniedMessage = (jobId: string): string =>
    `Could not read the status of signing job ${jobId}: DescribeSigningJob failed with AccessDeniedException`

  it('fails at once when DescribeSigningJob is denied from the start, not after timeout-seconds', async () => {
    await stack.emulator.admin.injectFault({
      type: 'error',
      operation: 'DescribeSigningJob',
      errorType: 'AccessDeniedException',
      status: 403
    })
    const run = await sign(
      stack,
      { path: 'app.zip', 'profile-name': 'hanging_profile', 'timeout-seconds': '600' },
      { workspace: makeWorkspace({ 'app.zip': lambdaZip('denied from the start') }) }
    )
    expect(run.exitCode).toBe(1)
    const jobId = run.outputs['job-id']
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/)
    expect(run.outputs.status).toBe('InProgress')
    const errors = errorLines(run).join('\n')
    expect(errors).toContain(deniedMessage(jobId))
    expect(errors).toContain('DescribeSigningJob needs the permission signer:DescribeSigningJob')
    expect(errors).not.toContain('did not finish within')
    // Not retried: the one denied call, and the step ended (a timeout would have taken 600 s).
    expect((await stack.emulator.admin.calls('DescribeSigningJob')).map(call => call.status)).toEqual([403])
  })

  it('fails at once when DescribeSigningJob is denied while the job is being watched', async () => {
    await stack.emulator.admin.injectFault({ type: 'hangJobs', profileName: 'hanging_profile' })
    const denyOnceStarted = async (child: ChildProcess): Promise<void> => {
      // The prepare stage's describe answered: from now on, every read of the job is denied.
      while (!(await stack.emulator.admin.calls('DescribeSigningJob')).some(call => call.status === 200)) {
        if (child.exitCode !== null) return
        await new Promise(resolve => setTimeout(resolve, 25))
      }
      await stack.emulator.admin.injectFault({
        type: 'error',
        operation: 'DescribeSigningJob',
        errorType: 'AccessDeniedException',
        status: 403,
        message: 'User is not authorized to perform: signer:DescribeSigningJob'
      })
    }
    const run = await sign(
      stack,
      { path: 'app.zip', 'profile-name': 'hanging_profile', 'timeout-seconds': '600' },
      {
        workspace: makeWorkspace({ 'app.zip': lambdaZip('denied while waiting') }),
        onStart: child => void denyOnceStarted(child)
      }
    )
    expect(run.exitCode).toBe(1)
    const jobId = run.outputs['job-id']
    expect(run.outputs.status).toBe('InProgress')
    expect(errorLines(run).at(-1)).toBe(
      `::error::Signing failed for 1 of 1 artifact: app.zip (${deniedMessage(jobId)}: ` +
        'User is not authorized to perform: signer:DescribeSigningJob. It is not retried: DescribeSigningJob needs the ' +
        'permission signer:DescribeSigningJob)'
    )
    const statuses = (await stack.emulator.admin.calls('DescribeSigningJob')).map(call => call.status)
    expect(statuses[0]).toBe(200)
    expect(statuses.slice(1)).toEqual([403])
  })
})
