/**
 * Permissions mode through the bundled action, against an emulator that answers as AWS does: a profile
 * without statements (no policy), the principals and per-platform actions AWS takes, the warning when a
 * principal cut off is still covered, and what a user reads when AWS answers with an error.
 */
import { errorLines } from '../../scripts/run-action'
import { LocalStack, startStack } from '../../scripts/stack'
import {
  newProfile,
  noticeLines,
  parsedPermissions,
  permissionCalls,
  runPermissionsMode,
  seededProfile,
  statementsOf
} from './permissions-support'

let stack: LocalStack

beforeAll(async () => {
  stack = await startStack()
})

afterAll(async () => {
  await stack?.stop()
})

beforeEach(async () => {
  await stack.emulator.admin.clearFaults()
  await stack.emulator.admin.clearCalls()
})

const PARTNER = '111122223333'
const DEPLOY = '444455556666'
const DEPLOY_ROLE = `arn:aws:iam::${DEPLOY}:role/release`
const GRANT = { operation: 'grant', principal: PARTNER, 'permission-action': 'signer:StartSigningJob' }

/** The permission calls as [operation, status, revisionId sent]. */
async function callSummary(): Promise<[string, number, unknown][]> {
  return (await permissionCalls(stack)).map(c => [c.operation, c.status, c.input.revisionId])
}

describe('a profile without statements has no policy', () => {
  it('list reports no statements, not an error', async () => {
    const profileName = await newProfile(stack)
    const run = await runPermissionsMode(stack, profileName, { operation: 'list' })
    expect(run.exitCode).toBe(0)
    expect(errorLines(run)).toEqual([])
    expect(run.outputs).toEqual({ permissions: '[]', 'revision-id': '', changed: 'false' })
    expect(run.stdout).toContain('No statements: the profile has no permissions policy')
    expect(run.summary).toContain('No statements.')
    expect(await callSummary()).toEqual([['ListProfilePermissions', 404, undefined]])
  })

  it("the first grant is sent with revisionId ''", async () => {
    const profileName = await newProfile(stack)
    const run = await runPermissionsMode(stack, profileName, GRANT)
    expect(run.exitCode).toBe(0)
    expect(run.outputs.changed).toBe('true')
    expect(run.outputs['revision-id']).not.toBe('')
    expect(await callSummary()).toEqual([
      ['ListProfilePermissions', 404, undefined],
      ['AddProfilePermission', 200, '']
    ])
  })

  it('a conflict after the last statement was removed meanwhile is retried as a first grant', async () => {
    const { profileName, revisionId } = await seededProfile(stack, [
      { statementId: 'old', principal: DEPLOY, action: 'signer:GetSigningProfile' }
    ])
    await stack.emulator.admin.injectFault({
      type: 'changePolicy',
      profileName,
      count: 1,
      removeStatementId: 'old'
    })

    const run = await runPermissionsMode(stack, profileName, GRANT)

    expect(run.exitCode).toBe(0)
    expect(errorLines(run)).toEqual([])
    expect(await callSummary()).toEqual([
      ['ListProfilePermissions', 200, undefined],
      ['AddProfilePermission', 409, revisionId],
      ['ListProfilePermissions', 404, undefined],
      ['AddProfilePermission', 200, '']
    ])
    expect(parsedPermissions(run)).toEqual([
      { statementId: `StartSigningJob-${PARTNER}`, principal: PARTNER, action: 'signer:StartSigningJob' }
    ])
  })

  it('two first grants racing: the one that lost reads the new policy and adds with its revision', async () => {
    const profileName = await newProfile(stack)
    await stack.emulator.admin.injectFault({
      type: 'changePolicy',
      profileName,
      count: 1,
      permission: { statementId: 'theirs', principal: DEPLOY, action: 'signer:GetSigningProfile' }
    })

    const run = await runPermissionsMode(stack, profileName, GRANT)

    expect(run.exitCode).toBe(0)
    const calls = await callSummary()
    expect(calls.map(([operation, status]) => [operation, status])).toEqual([
      ['ListProfilePermissions', 404],
      ['AddProfilePermission', 409],
      ['ListProfilePermissions', 200],
      ['AddProfilePermission', 200]
    ])
    expect(calls[1][2]).toBe('')
    expect(calls[3][2]).toEqual(expect.any(String))
    expect((await statementsOf(stack, profileName)).map(s => s.statementId)).toEqual([
      'StartSigningJob-111122223333',
      'theirs'
    ])
  })
})

describe('principals', () => {
  it('an account root ARN is granted as its account ID, with a notice saying so', async () => {
    const profileName = await newProfile(stack)
    const run = await runPermissionsMode(stack, profileName, {
      ...GRANT,
      principal: `arn:aws:iam::${PARTNER}:root`
    })
    expect(run.exitCode).toBe(0)
    expect(noticeLines(run)).toEqual([
      expect.stringContaining(`is the account root: used as account ID ${PARTNER}`)
    ])
    const [add] = (await permissionCalls(stack)).filter(c => c.operation === 'AddProfilePermission')
    expect(add.input.principal).toBe(PARTNER)
    expect(add.status).toBe(200)
  })

  it('a role ARN is granted as given', async () => {
    const profileName = await newProfile(stack)
    const run = await runPermissionsMode(stack, profileName, { ...GRANT, principal: DEPLOY_ROLE })
    expect(run.exitCode).toBe(0)
    expect(parsedPermissions(run)).toEqual([
      {
        statementId: `StartSigningJob-${DEPLOY}-role-release`,
        principal: DEPLOY_ROLE,
        action: 'signer:StartSigningJob'
      }
    ])
  })

  it('a user ARN is refused before any AWS call, naming the forms AWS takes', async () => {
    const profileName = await newProfile(stack)
    await stack.emulator.admin.clearCalls()
    const run = await runPermissionsMode(stack, profileName, {
      ...GRANT,
      principal: `arn:aws:iam::${PARTNER}:user/ci`
    })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        /Input 'principal': .*is an IAM user; expected a 12-digit AWS account ID .* or an IAM role ARN/
      )
    ])
    expect(await stack.emulator.admin.calls()).toEqual([])
  })
})

describe('actions per platform: refused before any write, dry run included', () => {
  it.each([
    [
      'AWSLambda-SHA384-ECDSA',
      'signer:SignPayload',
      /does not support signer:SignPayload .*grant one of signer:StartSigningJob/
    ],
    [
      'Notation-OCI-SHA384-ECDSA',
      'signer:StartSigningJob',
      /does not support signer:StartSigningJob .*grant one of signer:SignPayload/
    ],
    [
      'AWSIoTDeviceManagement-SHA256-ECDSA',
      'signer:GetSigningProfile',
      /offers cross-account permissions only for/
    ]
  ])('a profile on %s: %s', async (platformId, action, message) => {
    const profileName = await newProfile(stack, 'plat', platformId)
    for (const dryRun of ['false', 'true']) {
      await stack.emulator.admin.clearCalls()
      const run = await runPermissionsMode(stack, profileName, {
        ...GRANT,
        'permission-action': action,
        'dry-run': dryRun
      })
      expect(run.exitCode).toBe(1)
      expect(errorLines(run)).toEqual([expect.stringMatching(message)])
      expect((await stack.emulator.admin.calls()).map(c => c.operation)).toEqual(['GetSigningProfile'])
    }
  })

  it('a Notation profile grants signer:SignPayload', async () => {
    const profileName = await newProfile(stack, 'plat', 'Notation-OCI-SHA384-ECDSA')
    const run = await runPermissionsMode(stack, profileName, {
      ...GRANT,
      'permission-action': 'signer:SignPayload'
    })
    expect(run.exitCode).toBe(0)
    expect(parsedPermissions(run).map(s => s.action)).toEqual(['signer:SignPayload'])
  })
})

describe('cutting off a principal', () => {
  it('warns when a statement left still covers it: the account-wide statement of a removed role', async () => {
    const { profileName } = await seededProfile(stack, [
      { statementId: 'role-sign', principal: DEPLOY_ROLE, action: 'signer:StartSigningJob' },
      { statementId: 'account-sign', principal: DEPLOY, action: 'signer:StartSigningJob' },
      { statementId: 'partner', principal: PARTNER, action: 'signer:StartSigningJob' }
    ])

    const run = await runPermissionsMode(stack, profileName, { operation: 'remove', principal: DEPLOY_ROLE })

    expect(run.exitCode).toBe(0)
    expect((await statementsOf(stack, profileName)).map(s => s.statementId)).toEqual([
      'account-sign',
      'partner'
    ])
    const warnings = run.stdout.split('\n').filter(line => line.startsWith('::warning'))
    expect(warnings).toEqual([
      expect.stringContaining(
        `${DEPLOY_ROLE} is still allowed signer:StartSigningJob by statement account-sign: ${DEPLOY} may ` +
          'signer:StartSigningJob: remove it too (statement-id: account-sign)'
      )
    ])
    expect(run.summary).toContain('Warning: ')
  })
})

describe('what a user reads when AWS answers with an error', () => {
  it.each([
    [
      'AccessDeniedException',
      'ListProfilePermissions',
      /^::error::ListProfilePermissions: AccessDeniedException: denied by test\. Fix: grant signer:ListProfilePermissions to the role this step runs as/
    ],
    [
      'InternalServiceErrorException',
      'AddProfilePermission',
      /^::error::AddProfilePermission: InternalServiceErrorException: denied by test\. Fix: AWS failed on its side: run again$/
    ]
  ])(
    '%s from %s: the call, the code, the message and the fix; no stack',
    async (errorType, operation, line) => {
      const profileName = await newProfile(stack)
      await stack.emulator.admin.injectFault({
        type: 'error',
        operation,
        errorType: errorType as 'AccessDeniedException',
        message: 'denied by test'
      })
      // One attempt: what the SDK's retries end with, without waiting for them.
      const run = await runPermissionsMode(stack, profileName, GRANT, { AWS_MAX_ATTEMPTS: '1' })
      expect(run.exitCode).toBe(1)
      expect(errorLines(run)).toEqual([expect.stringMatching(line)])
      // The stack goes to the debug log only: no frame on a line of its own, none escaped (%0A) into an
      // annotation or any other line.
      const shown = `${run.stdout}\n${run.stderr}`.split('\n').filter(l => !l.startsWith('::debug::'))
      expect(shown.join('\n')).not.toMatch(/(^|%0A)\s+at .*:\d+:\d+/m)
      expect(run.stdout).toMatch(/^::debug::.*%0A\s+at /m)
    }
  )
})
