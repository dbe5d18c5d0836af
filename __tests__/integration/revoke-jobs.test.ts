import { DescribeSigningJobCommand } from '@aws-sdk/client-signer'
import { LocalStack, startStack } from '../../scripts/stack'
import { errorLines, runAction } from '../../scripts/run-action'
import { createJobs } from './revoke-support'

const REASON = 'INC-4711: build runner compromised'
let stack: LocalStack

beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 20 })
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

async function revokeCalls() {
  return (await stack.emulator.admin.calls('RevokeSignature')).map(call => call.input)
}

async function revocationOf(jobId: string) {
  return (await stack.signer.send(new DescribeSigningJobCommand({ jobId }))).revocationRecord
}

describe('revoke mode: job ids', () => {
  it('revokes several jobs given with commas', async () => {
    // The ids are set up beforehand so that the log only holds the action's calls.
    const [a, b, c] = await createJobs(stack, 3)
    await stack.emulator.admin.clearCalls()
    const run = await revoke({ 'job-id': `${a}, ${b},${c}` })

    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.outputs['revoked-job-ids'])).toEqual([a, b, c])
    expect(JSON.parse(run.outputs['skipped-job-ids'])).toEqual([])
    expect(JSON.parse(run.outputs['failed-job-ids'])).toEqual([])
    expect(JSON.parse(run.outputs['planned-job-ids'])).toEqual([a, b, c])
    expect(run.outputs['revoked-profile-version']).toBe('')
    const calls = await revokeCalls()
    expect(calls).toHaveLength(3)
    expect(calls).toEqual(
      expect.arrayContaining([a, b, c].map(jobId => ({ jobId, jobOwner: stack.accountId, reason: REASON })))
    )
    expect(await revocationOf(b)).toMatchObject({ reason: REASON })
    expect(run.summary).toContain(`<td><code>${a}</code></td>`)
    expect(run.summary).toContain(`Reason: INC-4711: build runner compromised`)
    expect(run.summary).toContain('Run by: <code>release-bot</code>')
  })

  it('revokes several jobs given one per line, with the job owner given', async () => {
    const [a, b] = await createJobs(stack, 2)
    await stack.emulator.admin.clearCalls()
    const run = await revoke({ 'job-id': `\n${a}\n\n  ${b}  \n`, 'job-owner': stack.accountId })

    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.outputs['revoked-job-ids'])).toEqual([a, b])
    expect((await revokeCalls()).map(input => input.jobId).sort()).toEqual([a, b].sort())
    expect(await revocationOf(a)).toMatchObject({ reason: REASON })
  })

  it('skips an already revoked job: no second RevokeSignature call, listed as skipped', async () => {
    const [done, fresh] = await createJobs(stack, 2)
    const first = await revoke({ 'job-id': done })
    expect(first.exitCode).toBe(0)
    const before = await revocationOf(done)
    await stack.emulator.admin.clearCalls()

    const run = await revoke({ 'job-id': `${done},${fresh}` })
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.outputs['skipped-job-ids'])).toEqual([done])
    expect(JSON.parse(run.outputs['revoked-job-ids'])).toEqual([fresh])
    expect(await revokeCalls()).toEqual([{ jobId: fresh, jobOwner: stack.accountId, reason: REASON }])
    expect(
      (await stack.emulator.admin.calls('DescribeSigningJob')).map(call => call.input.jobId).sort()
    ).toEqual([done, fresh].sort())
    expect(run.stdout).toContain(`::notice::Signing job ${done} skipped: already revoked at`)
    expect(run.summary).toContain('⏭️ already revoked')
    // The first revocation record stands.
    expect(await revocationOf(done)).toEqual(before)
  })

  it('goes on past an unknown job, then fails naming it', async () => {
    const [a, b] = await createJobs(stack, 2)
    const unknown = '00000000-0000-4000-8000-000000000000'
    await stack.emulator.admin.clearCalls()
    const run = await revoke({ 'job-id': `${a}\n${unknown}\n${b}` })

    expect(run.exitCode).toBe(1)
    expect(JSON.parse(run.outputs['revoked-job-ids'])).toEqual([a, b])
    expect(JSON.parse(run.outputs['failed-job-ids'])).toEqual([unknown])
    expect((await revokeCalls()).map(input => input.jobId).sort()).toEqual([a, b].sort())
    const errors = errorLines(run)
    expect(errors).toContainEqual(
      expect.stringContaining(`Signing job ${unknown}: DescribeSigningJob: ResourceNotFoundException`)
    )
    expect(errors[errors.length - 1]).toContain(`Could not revoke signing job(s) ${unknown}.`)
    expect(run.summary).toMatch(new RegExp(`<code>${unknown}</code>.*❌ failed.*ResourceNotFoundException`))
  })

  it('makes no revoke call in a dry run, and puts the plan in the outputs and the summary', async () => {
    const [a, b] = await createJobs(stack, 2)
    const [done] = await createJobs(stack, 1)
    expect((await revoke({ 'job-id': done })).exitCode).toBe(0)
    await stack.emulator.admin.clearCalls()

    const run = await revoke({ 'job-id': `${a},${b},${done}`, 'dry-run': 'true' })
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.outputs['planned-job-ids'])).toEqual([a, b])
    expect(JSON.parse(run.outputs['skipped-job-ids'])).toEqual([done])
    expect(JSON.parse(run.outputs['revoked-job-ids'])).toEqual([])
    const ops = (await stack.emulator.admin.calls()).map(call => call.operation)
    // The three jobs share one platform: read once, to know it supports revocation.
    expect(ops).toEqual([
      'DescribeSigningJob',
      'DescribeSigningJob',
      'DescribeSigningJob',
      'GetSigningPlatform'
    ])
    expect(run.stdout).toContain(`would revoke signing job ${a} owned by ${stack.accountId}`)
    expect(run.summary).toContain('Signature revocation: dry run, nothing revoked')
    expect(run.summary).toMatch(new RegExp(`<code>${b}</code>.*📝 planned \\(dry run\\)`))
    expect(await revocationOf(a)).toBeUndefined()
  })

  it('writes no summary when show-summary is false', async () => {
    const [a] = await createJobs(stack, 1)
    const run = await revoke({ 'job-id': a, 'show-summary': 'false' })
    expect(run.exitCode).toBe(0)
    expect(run.summary).toBe('')
    expect(JSON.parse(run.outputs['revoked-job-ids'])).toEqual([a])
  })
})
