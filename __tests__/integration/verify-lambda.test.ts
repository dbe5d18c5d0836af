import {
  RevokeSignatureCommand,
  RevokeSigningProfileCommand,
  StartSigningJobCommand
} from '@aws-sdk/client-signer'
import { signerClientAs, waitForJob } from '../../emulator/testing'
import { LocalStack, startStack } from '../../scripts/stack'
import { errorLines } from '../../scripts/run-action'
import { createJobs, uploadArtifact } from './revoke-support'
import { PROFILE_OWNER_ACCOUNT, putOwnerProfile } from './sign-support'
import {
  createFunction,
  describe as describeJob,
  functionsOf,
  jobArn,
  jobsOf,
  verify
} from './verify-support'

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

async function signing(jobId: string) {
  return {
    jobArn: jobArn(stack, jobId),
    profileVersionArn: (await describeJob(stack, jobId)).profileVersionArn
  }
}

describe('verify mode: the Lambda functions of the Region', () => {
  it("lambda-function '*' names the function running a revoked job, passes the good ones, reports the unsigned one", async () => {
    const [good, revoked] = await createJobs(stack, 2)
    await stack.signer.send(
      new RevokeSignatureCommand({ jobId: revoked, reason: 'INC-12: build host compromised' })
    )
    await createFunction(stack, 'api', await signing(good))
    await createFunction(stack, 'worker', await signing(good))
    await createFunction(stack, 'billing', await signing(revoked))
    await createFunction(stack, 'legacy')
    await stack.emulator.admin.clearCalls()

    const run = await verify(stack, { 'lambda-function': '*' })
    expect(run.exitCode).toBe(1)
    expect(run.outputs.verdict).toBe('invalid')
    expect(JSON.parse(run.outputs['invalid-job-ids'])).toEqual([revoked])
    const functions = functionsOf(run)
    expect(functions.map(fn => [fn.name, fn.verdict, fn.job])).toEqual([
      ['api', 'valid', good],
      ['billing', 'invalid', revoked],
      ['legacy', 'unsigned', null],
      ['worker', 'valid', good]
    ])
    expect(functions[1].reasons).toEqual([
      expect.stringMatching(
        /^job-revocation: the signature was revoked at .*"INC-12: build host compromised"$/
      )
    ])
    expect(errorLines(run).join('\n')).toContain('Function "billing" is invalid: job-revocation')
    expect(run.stdout).toContain('::notice::Function "legacy" runs unsigned code')
    // Two functions share the good job: it is read once.
    const described = (await stack.emulator.admin.calls('DescribeSigningJob')).map(call => call.input.jobId)
    expect(described.sort()).toEqual([good, revoked].sort())
    expect(run.summary).toContain(
      'Lambda functions (every function of the Region): 4, invalid: 1, unsigned: 1'
    )
  })

  it('fails a named function that runs unsigned code, or that does not exist', async () => {
    await createFunction(stack, 'unsigned_named')
    const run = await verify(stack, { 'lambda-function': 'unsigned_named, no-such-function' })
    expect(run.exitCode).toBe(1)
    const functions = functionsOf(run)
    expect(functions.map(fn => [fn.name, fn.verdict])).toEqual([
      ['unsigned_named', 'invalid'],
      ['no-such-function', 'invalid']
    ])
    expect(functions[0].reasons).toEqual(['not signed: Lambda reports no SigningJobArn for the code it runs'])
    expect(functions[1].reasons[0]).toMatch(/^GetFunctionConfiguration failed: ResourceNotFoundException/)
  })
})

describe('verify mode: GetRevocationStatus where GetSigningProfile cannot answer', () => {
  /** A job this account signs with another account's profile, shared for StartSigningJob only. */
  async function crossAccountJob(profileName: string): Promise<string> {
    await putOwnerProfile(stack, profileName, ['signer:StartSigningJob'])
    const source = await uploadArtifact(stack)
    const started = await stack.signer.send(
      new StartSigningJobCommand({
        profileName,
        profileOwner: PROFILE_OWNER_ACCOUNT,
        clientRequestToken: `verify-${profileName}`,
        source: { s3: { bucketName: stack.bucket, key: source.key, version: source.version } },
        destination: { s3: { bucketName: stack.bucket, prefix: 'signed/' } }
      })
    )
    await waitForJob(stack.signer, started.jobId as string)
    return started.jobId as string
  }

  it("learns a cross-account profile version's revocation from GetRevocationStatus", async () => {
    const revoked = await crossAccountJob('owner_revoked')
    const kept = await crossAccountJob('owner_kept')
    const job = await describeJob(stack, revoked)
    const owner = signerClientAs(stack.signerEndpoint, stack.region, 'AKIDPROFILEOWNER')
    await owner.send(
      new RevokeSigningProfileCommand({
        profileName: 'owner_revoked',
        profileVersion: job.profileVersion,
        reason: 'key leaked',
        effectiveTime: new Date(job.signedAt.getTime() - 60_000)
      })
    )
    owner.destroy()
    await stack.emulator.admin.clearCalls()

    const run = await verify(stack, { 'job-id': `${revoked}\n${kept}` })
    expect(run.exitCode).toBe(1)
    expect(JSON.parse(run.outputs['invalid-job-ids'])).toEqual([revoked])
    expect(jobsOf(run)[0].reasons).toEqual([
      expect.stringMatching(
        /^profile-revocation: GetRevocationStatus: profile owner_revoked version \w{10} is revoked for the signing at/
      )
    ])
    const profileReads = await stack.emulator.admin.calls('GetSigningProfile')
    expect(profileReads.map(call => call.errorType)).toEqual([
      'AccessDeniedException',
      'AccessDeniedException'
    ])
    const statusCalls = await stack.emulator.admin.calls('GetRevocationStatus')
    expect(statusCalls.map(call => call.input)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          jobArn: jobArn(stack, revoked, PROFILE_OWNER_ACCOUNT),
          profileVersionArn: job.profileVersionArn,
          platformId: 'AWSLambda-SHA384-ECDSA'
        })
      ])
    )
    expect(statusCalls).toHaveLength(2)
  })
})
