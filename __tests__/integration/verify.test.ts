import * as fs from 'node:fs'
import * as path from 'node:path'
import { RevokeSignatureCommand } from '@aws-sdk/client-signer'
import { LocalStack, startStack } from '../../scripts/stack'
import { errorLines, makeWorkspace, runAction } from '../../scripts/run-action'
import { lambdaZip } from '../../emulator/testing'
import { createJobs } from './revoke-support'
import { putProfiles, sign } from './sign-support'
import { describe as describeJob, jobsOf, profileArn, revokeProfileOf, verify } from './verify-support'

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

/** A sign run of one artifact: its workspace holds signed/manifest.json and signed/app.zip. */
async function signedWorkspace(): Promise<{ workspace: string; jobId: string }> {
  const workspace = makeWorkspace({ 'app.zip': lambdaZip(`release ${Math.random()}`) })
  const run = await sign(stack, { path: 'app.zip' }, { workspace })
  expect(run.exitCode).toBe(0)
  return { workspace, jobId: run.outputs['job-id'] }
}

describe('verify mode: a sign run manifest', () => {
  it('passes a good manifest: each job read once, its signed file byte-identical', async () => {
    const { workspace, jobId } = await signedWorkspace()
    await stack.emulator.admin.clearCalls()
    const run = await verify(
      stack,
      { manifest: 'signed/manifest.json', 'trusted-profile': profileArn(stack, stack.profileName) },
      workspace
    )

    expect(run.exitCode).toBe(0)
    expect(run.outputs.verdict).toBe('valid')
    expect(JSON.parse(run.outputs['invalid-job-ids'])).toEqual([])
    expect(jobsOf(run)).toEqual([{ id: jobId, verdict: 'valid', reasons: [] }])
    expect(run.stdout).toContain('pass signed-file: "signed/app.zip" is byte-identical to the signed file')
    // The profile's current version answers for it: no GetRevocationStatus.
    const calls = (await stack.emulator.admin.calls()).map(call => call.operation)
    expect(calls.sort()).toEqual(['DescribeSigningJob', 'GetSigningProfile'])
    expect(run.summary).toContain('Signature verification')
    expect(run.summary).toContain(`Trusted profiles: <code>${profileArn(stack, stack.profileName)}</code>`)
    expect(run.summary).toContain(`<code>${jobId}</code>`)
  })

  it('fails a modified signed file, naming it', async () => {
    const { workspace, jobId } = await signedWorkspace()
    fs.appendFileSync(path.join(workspace, 'signed/app.zip'), 'tampered')
    const run = await verify(stack, { manifest: 'signed/manifest.json' }, workspace)

    expect(run.exitCode).toBe(1)
    expect(run.outputs.verdict).toBe('invalid')
    expect(JSON.parse(run.outputs['invalid-job-ids'])).toEqual([jobId])
    const [job] = jobsOf(run)
    expect(job.reasons).toEqual([
      expect.stringMatching(/^signed-file: "signed\/app.zip" differs from the signed file Signer produced/)
    ])
    expect(errorLines(run).join('\n')).toContain(
      `Signing job ${jobId} is invalid: signed-file: "signed/app.zip"`
    )
    // Without trusted-profile, the summary says every profile was trusted.
    expect(run.summary).toContain('Trusted profiles: none named')
  })

  it('fails a revoked job, by manifest and by job id, saying why, when and by whom', async () => {
    const { workspace, jobId } = await signedWorkspace()
    await stack.signer.send(new RevokeSignatureCommand({ jobId, reason: 'INC-9: key on a stolen laptop' }))

    const byManifestAndById: Record<string, string>[] = [
      { manifest: 'signed/manifest.json' },
      { 'job-id': jobId }
    ]
    for (const inputs of byManifestAndById) {
      const run = await verify(stack, inputs, workspace)
      expect(run.exitCode).toBe(1)
      expect(jobsOf(run)).toEqual([
        {
          id: jobId,
          verdict: 'invalid',
          reasons: [
            expect.stringMatching(
              /^job-revocation: the signature was revoked at \d{4}-\d\d-\d\dT[\d:.]+Z by "arn:aws:iam::123456789012:user\/emulator": "INC-9: key on a stolen laptop"$/
            )
          ]
        }
      ])
    }
  })

  it('refuses a manifest outside the workspace before any call', async () => {
    const run = await verify(stack, { manifest: '../manifest.json' })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run).join('\n')).toMatch(/Input 'manifest': must be a file inside the workspace/)
    expect(await stack.emulator.admin.calls()).toEqual([])
  })
})

describe('verify mode: job ids', () => {
  it('fails a job whose profile version was revoked from before its signing, passes one revoked from after', async () => {
    await putProfiles(stack, 'revoked_before', 'revoked_after')
    const [before] = await createJobs(stack, 1, 'revoked_before')
    const [after] = await createJobs(stack, 1, 'revoked_after')
    const signedAfter = (await describeJob(stack, after)).signedAt
    await revokeProfileOf(
      stack,
      before,
      new Date((await describeJob(stack, before)).signedAt.getTime() - 60_000)
    )
    // RevokeSigningProfile takes only a time in the past: wait until just after the signing is.
    while (Date.now() < signedAfter.getTime() + 50) await new Promise(resolve => setTimeout(resolve, 10))
    await revokeProfileOf(stack, after, new Date(signedAfter.getTime() + 1))

    const run = await verify(stack, { 'job-id': `${before},${after}` })
    expect(run.exitCode).toBe(1)
    expect(JSON.parse(run.outputs['invalid-job-ids'])).toEqual([before])
    const [first, second] = jobsOf(run)
    expect(first.reasons).toEqual([
      expect.stringMatching(
        /^profile-revocation: profile revoked_before version \w{10} was revoked by .*: at or before the signing at/
      )
    ])
    expect(second).toEqual({ id: after, verdict: 'valid', reasons: [] })
    expect(run.stdout).toContain('after the signing at')
  })

  it('fails an expired signature', async () => {
    const [jobId] = await createJobs(stack, 1)
    const { signatureExpiresAt } = await stack.emulator.admin.expireSignature(jobId)
    const run = await verify(stack, { 'job-id': jobId })
    expect(run.exitCode).toBe(1)
    expect(jobsOf(run)[0].reasons).toEqual([`expiry: the signature expired at ${signatureExpiresAt}`])
  })

  it("fails a job of a profile outside trusted-profile, and passes with the profile's own ARN or its version ARN", async () => {
    const [jobId] = await createJobs(stack, 1)
    const { profileVersionArn } = await describeJob(stack, jobId)
    const other = profileArn(stack, 'some_other_profile')

    const untrusted = await verify(stack, { 'job-id': jobId, 'trusted-profile': other })
    expect(untrusted.exitCode).toBe(1)
    expect(jobsOf(untrusted)[0].reasons).toEqual([
      `trusted-profile: signed by ${profileVersionArn}, which trusted-profile does not name`
    ])

    for (const trusted of [profileArn(stack, stack.profileName), profileVersionArn]) {
      const run = await verify(stack, { 'job-id': jobId, 'trusted-profile': `${other}\n${trusted}` })
      expect(run.exitCode).toBe(0)
      expect(run.stdout).toContain(
        `pass trusted-profile: signed by ${profileVersionArn}, trusted as ${trusted}`
      )
    }
    // Another version of the same profile trusts only itself.
    const otherVersion = `${profileArn(stack, stack.profileName)}/ZZZZZZZZZZ`
    const run = await verify(stack, { 'job-id': jobId, 'trusted-profile': otherVersion })
    expect(run.exitCode).toBe(1)
  })

  it('refuses a wildcard trusted-profile, and nothing to verify, before any call', async () => {
    const nothing = await runAction({ inputs: { mode: 'verify' }, env: stack.env })
    expect(nothing.exitCode).toBe(1)
    expect(errorLines(nothing)).toEqual([
      "::error::Input 'mode': verify has nothing to verify: give manifest (the manifest.json of a sign run), job-id, or lambda-function"
    ])
    const wildcard = await verify(stack, { 'job-id': 'abc', 'trusted-profile': '*' })
    expect(wildcard.exitCode).toBe(1)
    expect(errorLines(wildcard).join('\n')).toMatch(/Input 'trusted-profile': '\*' is a wildcard/)
    expect(await stack.emulator.admin.calls()).toEqual([])
  })
})
