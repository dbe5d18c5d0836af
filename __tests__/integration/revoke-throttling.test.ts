import { ListSigningJobsCommand, SignerClient, paginateListSigningJobs } from '@aws-sdk/client-signer'
import { LocalStack, startStack } from '../../scripts/stack'
import { runAction } from '../../scripts/run-action'
import { createJobs, sleep } from './revoke-support'

const JOBS = 220
let stack: LocalStack
let jobIds: string[]
let signedAfter: Date

beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 10 })
  signedAfter = new Date()
  await sleep(5)
  jobIds = await createJobs(stack, JOBS)
  await stack.emulator.admin.clearCalls()
})

afterAll(async () => {
  await stack?.stop()
})

async function revokedJobIds(signer: SignerClient): Promise<string[]> {
  const ids: string[] = []
  for await (const page of paginateListSigningJobs({ client: signer }, { isRevoked: true })) {
    for (const job of page.jobs ?? []) if (job.jobId) ids.push(job.jobId)
  }
  return ids
}

describe('revoke mode: a large revocation under throttling', () => {
  it(`revokes ${JOBS} jobs found by the search while every Signer operation it calls is throttled`, async () => {
    const admin = stack.emulator.admin
    await admin.injectFault({ type: 'throttle', operation: 'ListSigningJobs', count: 2 })
    await admin.injectFault({ type: 'serverError', operation: 'RevokeSignature', count: 3 })
    // The account's quota, as Signer enforces it: far below what 8 calls in flight would send.
    await admin.configure({ rateLimits: { RevokeSignature: 50 } })

    const started = Date.now()
    const run = await runAction({
      inputs: {
        mode: 'revoke',
        reason: 'INC-4714: mass revocation',
        'profile-name': stack.profileName,
        'signed-after': signedAfter.toISOString()
      },
      env: stack.env
    })
    const seconds = (Date.now() - started) / 1000

    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.outputs['revoked-job-ids']).sort()).toEqual([...jobIds].sort())
    expect(JSON.parse(run.outputs['failed-job-ids'])).toEqual([])
    // Every injected fault was met and retried.
    expect(await admin.faults()).toEqual([])
    const revokes = await admin.calls('RevokeSignature')
    const throttled = revokes.filter(call => call.status === 429)
    expect(throttled.length).toBeGreaterThan(0)
    expect(revokes.filter(call => call.status === 500)).toHaveLength(3)
    expect(revokes.filter(call => call.status === 200)).toHaveLength(JOBS)
    expect(revokes).toHaveLength(JOBS + 3 + throttled.length)
    // The listing already says whether each found job is revoked: no DescribeSigningJob for them.
    expect(await admin.calls('DescribeSigningJob')).toEqual([])
    const lists = await admin.calls('ListSigningJobs')
    expect(lists.filter(call => call.status === 429)).toHaveLength(2)
    // One page of jobs in progress (none), then the Succeeded ones 25 at a time.
    expect(lists.filter(call => call.status === 200)).toHaveLength(1 + Math.ceil(JOBS / 25))
    // One GetSigningPlatform for the 220 jobs of one platform.
    expect(await admin.calls('GetSigningPlatform')).toHaveLength(1)
    expect((await revokedJobIds(stack.signer)).sort()).toEqual([...jobIds].sort())
    expect(
      (await stack.signer.send(new ListSigningJobsCommand({ isRevoked: false, maxResults: 25 }))).jobs
    ).toEqual([])
    expect(seconds).toBeLessThan(60)
  })
})
