import { LocalStack, startStack } from '../../scripts/stack'
import { errorLines, makeWorkspace, runAction } from '../../scripts/run-action'
import { lambdaZip } from '../../emulator/testing'

let stack: LocalStack

beforeAll(async () => {
  stack = await startStack()
})

afterAll(async () => {
  await stack?.stop()
})

beforeEach(async () => {
  await stack.emulator.admin.clearCalls()
})

describe('the bundled action, whatever the mode', () => {
  it('rejects an unknown mode before any AWS call', async () => {
    const run = await runAction({ inputs: { mode: 'audit' }, env: stack.env })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run)).toEqual([
      "::error::Input 'mode': expected 'sign', 'revoke', 'permissions', 'merge' or 'verify', got 'audit'"
    ])
    expect(await stack.emulator.admin.calls()).toEqual([])
  })

  it('names aws-region when no region is known, before any AWS call', async () => {
    const workspace = makeWorkspace({ 'app.zip': lambdaZip('bytes') })
    const { AWS_REGION: _region, ...envWithoutRegion } = stack.env
    const run = await runAction({
      workspace,
      env: envWithoutRegion,
      inputs: { path: 'app.zip', 'profile-name': stack.profileName, 'source-bucket': stack.bucket }
    })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run).join('\n')).toMatch(/Input 'aws-region': is required when neither AWS_REGION/)
    expect(await stack.emulator.admin.calls()).toEqual([])
  })

  it("signs outside GitHub's runner too, with no GITHUB_* context at all", async () => {
    const run = await runAction({
      workspace: makeWorkspace({ 'app.zip': lambdaZip('signed on a laptop') }),
      env: stack.env,
      noGithubContext: true,
      inputs: { path: 'app.zip', 'profile-name': stack.profileName, 'source-bucket': stack.bucket }
    })
    expect(errorLines(run)).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs.status).toBe('Succeeded')
  })

  it('never prints the credentials, even with step debug logging on and a failing run', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY'
    const sessionToken = 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN'
    const env = { ...stack.env, AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: sessionToken }
    const debug = { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' }
    const workspace = makeWorkspace({ 'app.zip': lambdaZip('bytes to sign') })
    const signed = await runAction({
      workspace,
      env: { ...env, ...debug },
      inputs: { path: 'app.zip', 'profile-name': stack.profileName, 'source-bucket': stack.bucket }
    })
    const failed = await runAction({
      env: { ...env, ...debug },
      inputs: { mode: 'revoke', reason: 'test', 'job-id': 'no-such-job' }
    })
    expect(signed.exitCode).toBe(0)
    expect(failed.exitCode).toBe(1)
    expect(signed.stdout).toContain('::debug::')
    for (const run of [signed, failed]) {
      const printed = run.stdout + run.stderr + run.summary + JSON.stringify(run.outputs)
      expect(printed).not.toContain(secret)
      expect(printed).not.toContain(sessionToken)
      expect(printed).not.toContain(stack.env.AWS_ACCESS_KEY_ID)
    }
  })
})
