import { LocalStack, startStack } from '../../scripts/stack'
import { errorLines, makeWorkspace, runAction } from '../../scripts/run-action'
import { createJobs } from './revoke-support'
import { operations, sign } from './sign-support'
import { lambdaZip } from '../../emulator/testing'

/** Messages a newcomer meets first, through the bundle: each says what to change. */

let stack: LocalStack
beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 50 })
})
afterAll(async () => {
  await stack?.stop()
})
beforeEach(async () => {
  await stack.emulator.admin.clearCalls()
})

const revoke = (inputs: Record<string, string>) =>
  runAction({ env: stack.env, inputs: { mode: 'revoke', reason: 'key leaked', ...inputs } })

describe('sign mode', () => {
  it('a profile ARN given as profile-name: use the name, before any AWS call', async () => {
    const arn = `arn:aws:signer:us-east-1:${stack.accountId}:/signing-profiles/${stack.profileName}`
    const run = await sign(
      stack,
      { path: 'app.zip', 'profile-name': arn },
      { workspace: makeWorkspace({ 'app.zip': lambdaZip('PK') }) }
    )
    expect(run.exitCode).toBe(1)
    expect(errorLines(run)).toEqual([
      `::error::Input 'profile-name': use the profile's name, not its ARN: profile-name: ${stack.profileName} ` +
        `(and profile-owner: '${stack.accountId}' when account ${stack.accountId} shares it with this one)`
    ])
    expect(await operations(stack)).toEqual([])
  })

  it('a profile that does not exist: the Region searched, and how to list the profiles there', async () => {
    const run = await sign(
      stack,
      { path: 'app.zip', 'profile-name': 'no_such_profile' },
      { workspace: makeWorkspace({ 'app.zip': lambdaZip('PK') }) }
    )
    expect(errorLines(run).join('\n')).toContain(
      "Signing profile 'no_such_profile' was not found in us-east-1: check the name, and aws-region (a " +
        'profile lives in one Region): aws signer list-signing-profiles --region us-east-1'
    )
  })

  it('wait: false says so, not download: false', async () => {
    const run = await sign(
      stack,
      { path: 'app.zip', wait: 'false' },
      { workspace: makeWorkspace({ 'app.zip': lambdaZip('PK') }) }
    )
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain(
      'wait: false: nothing was downloaded, so the provenance records lack the SHA-256 of the signed files'
    )
    expect(run.stdout).not.toContain('download: false')
  })
})

describe('revoke mode', () => {
  it('job-ids, and its former name job-id, name the jobs; both at once is refused', async () => {
    const [jobId] = await createJobs(stack, 1)
    for (const name of ['job-ids', 'job-id']) {
      const run = await revoke({ [name]: jobId, 'dry-run': 'true' })
      expect(errorLines(run)).toEqual([])
      expect(JSON.parse(run.outputs['planned-job-ids'])).toEqual([jobId])
    }
    const both = await revoke({ 'job-ids': jobId, 'job-id': jobId, 'dry-run': 'true' })
    expect(errorLines(both)).toEqual([
      "::error::Input 'job-id': and 'job-ids' were both given: give the job ids once, in job-ids"
    ])
  })

  it('a records bucket that does not exist: name the stack output to use, and the search that failed', async () => {
    const run = await revoke({
      'profile-name': stack.profileName,
      commit: 'abcdef1',
      'records-bucket': 'no-such-records',
      'dry-run': 'true'
    })
    expect(run.exitCode).toBe(1)
    const errors = errorLines(run).join('\n')
    expect(errors).toContain(
      "set records-bucket to the signing stack's ArtifactBucketName output (the destination-bucket sign mode " +
        'wrote the records to)'
    )
    expect(errors).toContain('The provenance search failed: the jobs it would find are not planned.')
    expect(errors).not.toContain('revoke the provenance search')
  })
})
