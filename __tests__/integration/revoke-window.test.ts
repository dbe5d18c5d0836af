import { PutSigningProfileCommand } from '@aws-sdk/client-signer'
import { LocalStack, startStack } from '../../scripts/stack'
import { runAction } from '../../scripts/run-action'
import { createJobs, sleep } from './revoke-support'

const REASON = 'INC-4713: jobs signed while the runner was compromised'
let stack: LocalStack
let outsideBefore: string[]
let inside: string[]
let otherProfileInside: string[]
let outsideAfter: string[]
let signedAfter: Date
let signedBefore: Date

beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 20 })
  await stack.signer.send(
    new PutSigningProfileCommand({ profileName: 'other_profile', platformId: 'AWSLambda-SHA384-ECDSA' })
  )
  // Three batches in time, with the window around the middle one, and jobs of another profile in the
  // window. 62 jobs listed 25 at a time: three pages.
  outsideBefore = await createJobs(stack, 4)
  await sleep(20)
  signedAfter = new Date()
  await sleep(5)
  inside = await createJobs(stack, 50)
  otherProfileInside = await createJobs(stack, 4, 'other_profile')
  await sleep(5)
  signedBefore = new Date()
  await sleep(20)
  outsideAfter = await createJobs(stack, 4)
})

afterAll(async () => {
  await stack?.stop()
})

beforeEach(async () => {
  await stack.emulator.admin.clearCalls()
})

describe('revoke mode: the jobs of a profile in a time window', () => {
  it('plans exactly the jobs inside the window across several pages in a dry run', async () => {
    const run = await runAction({
      inputs: {
        mode: 'revoke',
        reason: REASON,
        'profile-name': stack.profileName,
        'signed-after': signedAfter.toISOString(),
        'signed-before': signedBefore.toISOString(),
        'dry-run': 'true'
      },
      env: stack.env
    })
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.outputs['planned-job-ids']).sort()).toEqual([...inside].sort())
    expect(await stack.emulator.admin.calls('RevokeSignature')).toEqual([])
    // One page of jobs in progress (none), then the Succeeded ones: 62 listed 25 at a time.
    const lists = (await stack.emulator.admin.calls('ListSigningJobs')).map(call => call.input)
    expect(lists).toEqual([
      { status: 'InProgress', maxResults: 25 },
      { status: 'Succeeded', maxResults: 25 },
      { status: 'Succeeded', maxResults: 25, nextToken: expect.any(String) },
      { status: 'Succeeded', maxResults: 25, nextToken: expect.any(String) }
    ])
    expect(run.stdout).toContain('50 job(s) found among 62 listed in 4 page(s)')
    expect(run.summary).toContain('Time-window search: jobs of profile release_signing created in')
  })

  it('revokes exactly the jobs inside the window, together with a job id given outside it', async () => {
    const run = await runAction({
      inputs: {
        mode: 'revoke',
        reason: REASON,
        'job-id': outsideAfter[0],
        'profile-name': stack.profileName,
        'signed-after': signedAfter.toISOString(),
        'signed-before': signedBefore.toISOString()
      },
      env: stack.env
    })
    expect(run.exitCode).toBe(0)
    const revoked: string[] = JSON.parse(run.outputs['revoked-job-ids'])
    expect(revoked[0]).toBe(outsideAfter[0])
    expect(revoked.slice(1).sort()).toEqual([...inside].sort())
    const revokedInLog = (await stack.emulator.admin.calls('RevokeSignature')).map(call => call.input.jobId)
    expect(revokedInLog.sort()).toEqual([outsideAfter[0], ...inside].sort())
    for (const untouched of [...outsideBefore, ...otherProfileInside, ...outsideAfter.slice(1)]) {
      expect(revokedInLog).not.toContain(untouched)
    }
    const rows = run.summary.match(/<tr><td>/g) ?? []
    expect(rows).toHaveLength(51)
    expect(run.summary).toContain('Result: 51 signing job(s): 51 revoked')
  })
})
