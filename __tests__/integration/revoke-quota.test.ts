/**
 * A mass revocation at the account's quota: 600 signatures with RevokeSignature limited to 10 a second (the
 * emulator throttles as Signer's per-account quotas do), cancelled part-way with SIGTERM as the runner
 * cancels a step, then run again. Every job is revoked exactly once, nothing fails on throttling, and both
 * runs together stay within 1.5 times the quota's own time.
 */
import { ChildProcess } from 'node:child_process'
import { LocalStack, startStack } from '../../scripts/stack'
import { errorLines, runAction } from '../../scripts/run-action'
import { createJobs, sleep } from './revoke-support'

const JOBS = 600
const QUOTA = 10
let stack: LocalStack
let jobIds: string[]
let signedAfter: Date

beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 0 })
  signedAfter = new Date()
  await sleep(5)
  // Created without a limit; the quota applies from the revocation on.
  jobIds = await createJobs(stack, JOBS, stack.profileName, 50)
  await stack.emulator.admin.configure({ rateLimits: { RevokeSignature: QUOTA } })
  await stack.emulator.admin.clearCalls()
}, 180000)

afterAll(async () => {
  await stack?.stop()
})

const revoke = (onStart?: (child: ChildProcess) => void) =>
  runAction({
    inputs: {
      mode: 'revoke',
      reason: 'INC-4714: signing key exposed',
      'profile-name': stack.profileName,
      'signed-after': signedAfter.toISOString()
    },
    env: stack.env,
    onStart
  })

async function revokedSoFar(): Promise<number> {
  return (await stack.emulator.admin.calls('RevokeSignature')).filter(call => call.status === 200).length
}

it(`revokes ${JOBS} signatures at ${QUOTA} RevokeSignature/s over a cancelled run and its re-run, each once, within 1.5x the quota's time`, async () => {
  const cancelPartWay = async (child: ChildProcess): Promise<void> => {
    while ((await revokedSoFar()) < JOBS / 3) await sleep(200)
    child.kill('SIGTERM')
  }
  const startedFirst = Date.now()
  const first = await revoke(child => void cancelPartWay(child))
  const firstSeconds = (Date.now() - startedFirst) / 1000

  expect(first.exitCode).toBe(1)
  const revokedFirst: string[] = JSON.parse(first.outputs['revoked-job-ids'])
  expect(revokedFirst.length).toBeGreaterThanOrEqual(JOBS / 3)
  expect(revokedFirst.length).toBeLessThan(JOBS)
  expect(JSON.parse(first.outputs['failed-job-ids'])).toEqual([])
  const [cancelled] = errorLines(first)
  expect(cancelled).toMatch(
    new RegExp(
      `^::error::Cancelled \\(SIGTERM\\) after revoking ${revokedFirst.length} signature\\(s\\); \\d+ not revoked yet\\. Run it again to continue`
    )
  )
  expect(first.stdout).not.toContain('TooManyRequestsException')

  const startedSecond = Date.now()
  const second = await revoke()
  const secondSeconds = (Date.now() - startedSecond) / 1000
  expect(second.stderr).toBe('')
  expect(second.exitCode).toBe(0)
  const revokedSecond: string[] = JSON.parse(second.outputs['revoked-job-ids'])
  const skipped: string[] = JSON.parse(second.outputs['skipped-job-ids'])
  expect(JSON.parse(second.outputs['failed-job-ids'])).toEqual([])
  // The re-run continued where the first stopped: what it skipped, Signer already showed revoked.
  expect([...revokedFirst, ...revokedSecond].sort()).toEqual([...jobIds].sort())
  expect(skipped.length).toBeGreaterThanOrEqual(revokedFirst.length)
  expect(revokedSecond.filter(jobId => skipped.includes(jobId))).toEqual([])

  // The emulator's call log: exactly one accepted RevokeSignature per job, over both runs.
  const calls = await stack.emulator.admin.calls('RevokeSignature')
  const accepted = new Map<string, number>()
  for (const call of calls.filter(one => one.status === 200)) {
    const jobId = String(call.input.jobId)
    accepted.set(jobId, (accepted.get(jobId) ?? 0) + 1)
  }
  expect([...accepted.keys()].sort()).toEqual([...jobIds].sort())
  expect([...accepted.values()].every(count => count === 1)).toBe(true)
  // Throttled calls happened (the quota was met) and every other answer was a 429, never an error.
  const throttled = calls.filter(one => one.status === 429)
  expect(throttled.length).toBeGreaterThan(0)
  expect(calls.length).toBe(JOBS + throttled.length)

  const total = firstSeconds + secondSeconds
  console.log(
    `${JOBS} revocations at ${QUOTA}/s: ${firstSeconds.toFixed(1)} s cancelled + ${secondSeconds.toFixed(1)} s re-run = ` +
      `${total.toFixed(1)} s (floor ${JOBS / QUOTA} s), ${throttled.length} throttled calls`
  )
  expect(total).toBeLessThanOrEqual(1.5 * (JOBS / QUOTA))
}, 180000)
