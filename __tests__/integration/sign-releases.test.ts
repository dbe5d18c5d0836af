/**
 * Many runs on one account: 8 releases of 5 artifacts at once while Signer's quota allows 4 StartSigningJob
 * a second for the whole account (the emulator throttles as Signer does). Every artifact is signed, by one
 * job: a throttled start retried with its token never makes a second job.
 */
import { LocalStack, startStack } from '../../scripts/stack'
import { allSigned, concurrentReleases } from '../../scripts/bench-scale'
import { JobOutput } from '../../src/report/sign-outputs'

let stack: LocalStack

beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 200 })
})
afterAll(async () => {
  await stack?.stop()
})

it('8 concurrent releases of 5 artifacts at 4 StartSigningJob/s: all signed, one job each', async () => {
  const run = await concurrentReleases(stack, { releases: 8, artifactsEach: 5, startsPerSecond: 4 })
  for (const one of run.runs) expect(one.stderr).toBe('')
  expect(allSigned(run)).toBe(true)
  const jobIds = run.runs.flatMap(one => (JSON.parse(one.outputs.jobs) as JobOutput[]).map(job => job.jobId))
  expect(jobIds).toHaveLength(40)
  expect(new Set(jobIds).size).toBe(40)
  // Signer holds exactly one job per artifact, although the quota throttled the starts.
  expect(run.jobs).toBe(40)
  expect(run.throttled).toBeGreaterThan(0)
  console.log(
    `8 x 5 at 4 starts/s: ${run.seconds.toFixed(1)} s (quota floor 9 s), ${run.throttled} throttled starts`
  )
  // The limit is lifted afterwards.
  expect((await stack.emulator.admin.settings()).rateLimits).toEqual({})
})
