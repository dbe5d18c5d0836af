/**
 * A crowded listing: the run's principal has 200 older signing jobs still in progress (runs sharing
 * configure-aws-credentials' default session name), and ListSigningJobs promises no order. Six artifacts
 * stay within 2 status calls per artifact plus 2 per second of waiting, the action describes only its own
 * jobs, and it warns once naming the fix.
 */
import { randomUUID } from 'node:crypto'
import { StartSigningJobCommand } from '@aws-sdk/client-signer'
import { lambdaZip } from '../../emulator/testing'
import { mapLimit } from '../../src/concurrency'
import { LocalStack, startStack } from '../../scripts/stack'
import { makeWorkspace } from '../../scripts/run-action'
import { uploadArtifact } from './revoke-support'
import { jobsOutput, putProfiles, sign, statusCallBudget } from './sign-support'

const CROWD = 200
const ARTIFACTS = 6
let stack: LocalStack

beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 3000 })
  await putProfiles(stack, 'older_runs')
  await stack.emulator.admin.injectFault({ type: 'hangJobs', profileName: 'older_runs' })
  // The older runs' jobs, started by the same principal as the action's, never finish.
  const source = await uploadArtifact(stack)
  await mapLimit(Array.from({ length: CROWD }), 25, () =>
    stack.signer.send(
      new StartSigningJobCommand({
        profileName: 'older_runs',
        clientRequestToken: randomUUID(),
        source: { s3: { bucketName: stack.bucket, key: source.key, version: source.version } },
        destination: { s3: { bucketName: stack.bucket, prefix: 'older/' } }
      })
    )
  )
})
afterAll(async () => {
  await stack?.stop()
})

describe.each(['oldestFirst', 'newestFirst'] as const)('sign mode, %s listing', order => {
  it(`signs ${ARTIFACTS} artifacts beside ${CROWD} older jobs in progress within the call budget, and warns once`, async () => {
    await stack.emulator.admin.configure({ jobListingOrder: order })
    await stack.emulator.admin.clearCalls()
    const files: Record<string, Buffer> = {}
    for (let i = 0; i < ARTIFACTS; i++) files[`dist/part-${i}.zip`] = lambdaZip(`crowded ${order} ${i}`)
    const run = await sign(
      stack,
      { path: 'dist/*.zip', 'source-prefix': `crowd-${order}/` },
      {
        workspace: makeWorkspace(files)
      }
    )
    expect(run.exitCode).toBe(0)
    const jobs = jobsOutput(run)
    expect(jobs.map(job => job.status)).toEqual(new Array(ARTIFACTS).fill('Succeeded'))

    const { status, bound } = statusCallBudget(await stack.emulator.admin.calls(), ARTIFACTS)
    console.log(`${order} listing: ${status.length} status calls, bound ${bound}`)
    expect(status.length).toBeLessThanOrEqual(bound)
    // It describes its own jobs, never the older runs'.
    const own = new Set(jobs.map(job => job.jobId))
    const described = status.filter(call => call.operation === 'DescribeSigningJob')
    expect(described.every(call => own.has(String(call.input.jobId)))).toBe(true)

    const warnings = run.stdout.split('\n').filter(line => line.startsWith('::warning::ListSigningJobs'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      new RegExp(
        `^::warning::ListSigningJobs shows (at least )?\\d+ signing job\\(s\\) in progress requested by ` +
          `arn:aws:iam::${stack.accountId}:user/emulator besides the ${ARTIFACTS} this run started`
      )
    )
    expect(warnings[0]).toContain('role-session-name: sign-${{ github.run_id }}-${{ github.run_attempt }}')
  })
})
