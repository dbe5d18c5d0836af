/**
 * GetRevocationStatus as the model describes it (GET /revocations, five required query members, answers
 * revokedEntities), reached with the host prefix disabled as a local endpoint needs; and the admin route that
 * makes a signature expire.
 */
import {
  GetRevocationStatusCommand,
  GetRevocationStatusCommandInput,
  RevokeSignatureCommand,
  RevokeSigningProfileCommand,
  SignerClient
} from '@aws-sdk/client-signer'
import { LocalStack, startStack } from '../../scripts/stack'
import { failure } from '../support/signer-error'
import { createJobs } from './revoke-support'
import { putProfiles } from './sign-support'
import { describe as describeJob, jobArn } from './verify-support'

let stack: LocalStack
let signer: SignerClient

beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 20 })
  signer = new SignerClient({
    region: stack.region,
    endpoint: stack.signerEndpoint,
    credentials: { accessKeyId: 'AKIDREVOCATIONS', secretAccessKey: 'secret' },
    // GetRevocationStatus is served from the data- host prefix: data-127.0.0.1 does not resolve.
    disableHostPrefix: true
  })
})

afterAll(async () => {
  signer?.destroy()
  await stack?.stop()
})

async function query(jobId: string, signatureTimestamp?: Date): Promise<GetRevocationStatusCommandInput> {
  const job = await describeJob(stack, jobId)
  return {
    signatureTimestamp: signatureTimestamp ?? job.signedAt,
    platformId: job.platformId,
    profileVersionArn: job.profileVersionArn,
    jobArn: jobArn(stack, jobId),
    certificateHashes: []
  }
}

describe('GetRevocationStatus', () => {
  it('lists a revoked job and nothing for a good one', async () => {
    const [good, revoked] = await createJobs(stack, 2)
    await stack.signer.send(new RevokeSignatureCommand({ jobId: revoked, reason: 'compromised' }))
    expect((await signer.send(new GetRevocationStatusCommand(await query(good)))).revokedEntities).toEqual([])
    const input = await query(revoked)
    expect((await signer.send(new GetRevocationStatusCommand(input))).revokedEntities).toEqual([input.jobArn])
  })

  it('lists a profile version for a signature made at or after its revocation took effect, not before', async () => {
    await putProfiles(stack, 'status_profile')
    const [jobId] = await createJobs(stack, 1, 'status_profile')
    const job = await describeJob(stack, jobId)
    const effective = new Date(job.signedAt.getTime() - 60_000)
    await stack.signer.send(
      new RevokeSigningProfileCommand({
        profileName: 'status_profile',
        profileVersion: job.profileVersion,
        reason: 'key leaked',
        effectiveTime: effective
      })
    )
    const at = async (time: Date) =>
      (await signer.send(new GetRevocationStatusCommand(await query(jobId, time)))).revokedEntities
    expect(await at(job.signedAt)).toEqual([job.profileVersionArn])
    expect(await at(effective)).toEqual([job.profileVersionArn])
    expect(await at(new Date(effective.getTime() - 1000))).toEqual([])
  })

  it('requires the members the model requires, and answers nothing for unknown ARNs', async () => {
    const input = {
      signatureTimestamp: new Date(),
      platformId: 'AWSLambda-SHA384-ECDSA',
      profileVersionArn: `arn:aws:signer:${stack.region}:${stack.accountId}:/signing-profiles/nobody/ABCDEFGHIJ`,
      jobArn: jobArn(stack, 'no-such-job'),
      certificateHashes: ['aa']
    }
    expect((await signer.send(new GetRevocationStatusCommand(input))).revokedEntities).toEqual([])
    const missing = await failure(
      signer.send(new GetRevocationStatusCommand({ ...input, jobArn: undefined as unknown as string }))
    )
    expect(missing.name).toBe('ValidationException')
    expect(missing.message).toMatch(/at 'jobArn' failed to satisfy constraint: Member must not be null/)
  })
})

describe('admin: expire-signature', () => {
  it("moves a job's signatureExpiresAt, and refuses an unknown job", async () => {
    const [jobId] = await createJobs(stack, 1)
    const at = new Date(Date.now() - 1000)
    expect(await stack.emulator.admin.expireSignature(jobId, at)).toEqual({
      jobId,
      signatureExpiresAt: at.toISOString()
    })
    expect((await describeJob(stack, jobId)).signatureExpiresAt).toEqual(at)
    await expect(stack.emulator.admin.expireSignature('no-such-job')).rejects.toThrow(/No signing job/)
  })
})
