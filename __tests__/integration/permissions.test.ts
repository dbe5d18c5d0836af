/**
 * Permissions mode through the bundled action against the local stack: list across pages, grant (twice,
 * and racing another writer), remove by id and by principal, absent statements, dry runs. The emulator's
 * call log shows which calls the action made and with which revisionId.
 */
import { errorLines } from '../../scripts/run-action'
import { LocalStack, startStack } from '../../scripts/stack'
import {
  newProfile,
  noticeLines,
  parsedPermissions,
  permissionCalls,
  runPermissionsMode,
  changeAfterFirstRead,
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
const OTHER = '777788889999'

describe('permissions mode: list', () => {
  it('lists every statement across pages, as JSON and a summary table, and writes nothing', async () => {
    const seeded = Array.from({ length: 30 }, (_, i) => ({
      statementId: `s${String(i).padStart(2, '0')}`,
      principal: PARTNER,
      action: i % 2 ? 'signer:GetSigningProfile' : 'signer:StartSigningJob'
    }))
    const { profileName, revisionId } = await seededProfile(stack, seeded)

    const run = await runPermissionsMode(stack, profileName, { operation: 'list' })

    expect(run.exitCode).toBe(0)
    expect(parsedPermissions(run)).toEqual(seeded)
    expect(run.outputs['revision-id']).toBe(revisionId)
    expect(run.outputs.changed).toBe('false')
    // The profile first (it exists, its platform); then the emulator answers 25 statements a page: the
    // second page is asked for with the first's token.
    expect((await stack.emulator.admin.calls()).map(call => call.operation)).toEqual([
      'GetSigningProfile',
      'ListProfilePermissions',
      'ListProfilePermissions'
    ])
    const calls = await permissionCalls(stack)
    expect(calls[0].input.nextToken).toBeUndefined()
    expect(calls[1].input.nextToken).toEqual(expect.any(String))
    expect(run.summary).toContain(`Signing profile permissions: list on ${profileName}`)
    expect(run.summary).toContain('<code>s29</code>')
    expect(run.summary.match(/<tr>/g)).toHaveLength(31)
  })
})

describe('permissions mode: an unknown profile', () => {
  it('fails naming the profile, the error AWS gives and the fix, and reads no permissions', async () => {
    const run = await runPermissionsMode(stack, 'no_such_profile', {
      operation: 'remove',
      principal: PARTNER
    })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        /Signing profile no_such_profile does not exist in us-east-1 .*GetSigningProfile: ResourceNotFoundException: No signing profile named no_such_profile.*Fix: check profile-name and aws-region/
      )
    ])
    // ListProfilePermissions answers ResourceNotFoundException for a profile without a policy too: the
    // profile is read first, so the two are told apart.
    expect((await stack.emulator.admin.calls()).map(c => c.operation)).toEqual(['GetSigningProfile'])
    expect(run.outputs).toEqual({})
  })
})

describe('permissions mode: grant', () => {
  it('grants once; the same grant again is a success that writes nothing', async () => {
    const profileName = await newProfile(stack)
    const inputs = {
      operation: 'grant',
      principal: PARTNER,
      'permission-action': 'signer:StartSigningJob',
      reason: 'partner signs its own builds, CHG-12'
    }

    const first = await runPermissionsMode(stack, profileName, inputs)
    expect(first.exitCode).toBe(0)
    expect(first.outputs.changed).toBe('true')
    const statement = {
      statementId: `StartSigningJob-${PARTNER}`,
      principal: PARTNER,
      action: 'signer:StartSigningJob'
    }
    expect(parsedPermissions(first)).toEqual([statement])
    // The first permission of a profile carries revisionId '': the policy has none yet.
    const [add] = (await permissionCalls(stack)).filter(c => c.operation === 'AddProfilePermission')
    expect(add.input).toEqual({ profileName, ...statement, revisionId: '' })
    expect(first.summary).toContain('partner signs its own builds, CHG-12')
    expect(first.summary).toContain('<code>release-bot</code>')
    expect(first.summary).toContain('➕ added')

    await stack.emulator.admin.clearCalls()
    const second = await runPermissionsMode(stack, profileName, inputs)
    expect(second.exitCode).toBe(0)
    expect(second.outputs.changed).toBe('false')
    expect(second.outputs['revision-id']).toBe(first.outputs['revision-id'])
    expect((await permissionCalls(stack)).map(c => c.operation)).toEqual(['ListProfilePermissions'])
    expect(noticeLines(second)).toEqual([
      expect.stringContaining(`Already granted: statement ${statement.statementId}`)
    ])
    expect(await statementsOf(stack, profileName)).toEqual([statement])
  })

  it('a statement id already used for other content fails, showing both, and writes nothing', async () => {
    const { profileName } = await seededProfile(stack, [
      { statementId: 'partner', principal: PARTNER, action: 'signer:GetSigningProfile' }
    ])

    const run = await runPermissionsMode(stack, profileName, {
      operation: 'grant',
      'statement-id': 'partner',
      principal: PARTNER,
      'permission-action': 'signer:StartSigningJob'
    })

    expect(run.exitCode).toBe(1)
    expect(errorLines(run)).toEqual([
      expect.stringMatching(
        new RegExp(
          `Statement partner already exists on profile ${profileName} with other content\\. ` +
            `Existing: partner: ${PARTNER} may signer:GetSigningProfile\\. ` +
            `Wanted: partner: ${PARTNER} may signer:StartSigningJob\\.`
        )
      )
    ])
    expect((await permissionCalls(stack)).map(c => c.operation)).toEqual(['ListProfilePermissions'])
  })

  it('a change by someone else between our read and our write is met by reading again and retrying', async () => {
    const { profileName, revisionId: seededRevision } = await seededProfile(stack, [
      { statementId: 'existing', principal: OTHER, action: 'signer:GetSigningProfile' }
    ])
    // Right after the action's first listing, another writer adds a statement: our revisionId is stale.
    await changeAfterFirstRead(stack, profileName, {
      statementId: 'someone-else',
      principal: DEPLOY,
      action: 'signer:RevokeSignature'
    })

    const run = await runPermissionsMode(stack, profileName, {
      operation: 'grant',
      principal: PARTNER,
      'permission-action': 'signer:StartSigningJob'
    })

    expect(run.exitCode).toBe(0)
    expect(run.outputs.changed).toBe('true')
    const calls = await permissionCalls(stack)
    expect(calls.map(c => [c.operation, c.status, c.errorType])).toEqual([
      ['ListProfilePermissions', 200, undefined],
      ['AddProfilePermission', 409, 'ConflictException'],
      ['ListProfilePermissions', 200, undefined],
      ['AddProfilePermission', 200, undefined]
    ])
    expect(calls[1].input.revisionId).toBe(seededRevision)
    // The retry names the revision the second listing gave (the emulator accepted it: status 200).
    expect(calls[3].input.revisionId).toEqual(expect.any(String))
    expect(calls[3].input.revisionId).not.toBe(seededRevision)
    const ids = (await statementsOf(stack, profileName)).map(s => s.statementId)
    expect(ids.sort()).toEqual(['StartSigningJob-111122223333', 'existing', 'someone-else'])
    expect(
      parsedPermissions(run)
        .map(s => s.statementId)
        .sort()
    ).toEqual(ids)
    expect(run.stdout).toContain('The policy changed since we read it (ConflictException)')
    expect(run.summary).toContain('after 1 conflicting change(s) by someone else')
  })

  it('someone else making the same grant meanwhile leaves nothing to do after the retry', async () => {
    const { profileName } = await seededProfile(stack, [
      { statementId: 'existing', principal: OTHER, action: 'signer:GetSigningProfile' }
    ])
    await changeAfterFirstRead(stack, profileName, {
      statementId: `StartSigningJob-${PARTNER}`,
      principal: PARTNER,
      action: 'signer:StartSigningJob'
    })

    const run = await runPermissionsMode(stack, profileName, {
      operation: 'grant',
      principal: PARTNER,
      'permission-action': 'signer:StartSigningJob'
    })

    expect(run.exitCode).toBe(0)
    expect(run.outputs.changed).toBe('false')
    expect((await permissionCalls(stack)).map(c => c.operation)).toEqual([
      'ListProfilePermissions',
      'AddProfilePermission',
      'ListProfilePermissions'
    ])
    expect(await statementsOf(stack, profileName)).toHaveLength(2)
  })
})

describe('permissions mode: remove', () => {
  it('removes statements by id with the revisionId just read', async () => {
    const { profileName, revisionId } = await seededProfile(stack, [
      { statementId: 'a', principal: PARTNER, action: 'signer:StartSigningJob' },
      { statementId: 'b', principal: DEPLOY, action: 'signer:StartSigningJob' },
      { statementId: 'c', principal: OTHER, action: 'signer:GetSigningProfile' }
    ])

    const run = await runPermissionsMode(stack, profileName, { operation: 'remove', 'statement-id': 'b' })

    expect(run.exitCode).toBe(0)
    expect(run.outputs.changed).toBe('true')
    const removes = (await permissionCalls(stack)).filter(c => c.operation === 'RemoveProfilePermission')
    expect(removes.map(c => c.input)).toEqual([{ profileName, statementId: 'b', revisionId }])
    expect(parsedPermissions(run).map(s => s.statementId)).toEqual(['a', 'c'])
    expect((await statementsOf(stack, profileName)).map(s => s.statementId)).toEqual(['a', 'c'])
    expect(run.outputs['revision-id']).not.toBe(revisionId)
    expect(run.summary).toContain('➖ removed')
  })

  it('removes every statement naming a principal (its roles too), chaining the revisions', async () => {
    const { profileName } = await seededProfile(stack, [
      { statementId: 'deploy-sign', principal: DEPLOY, action: 'signer:StartSigningJob' },
      { statementId: 'deploy-read', principal: DEPLOY, action: 'signer:GetSigningProfile' },
      {
        statementId: 'deploy-role',
        principal: `arn:aws:iam::${DEPLOY}:role/release`,
        action: 'signer:RevokeSignature'
      },
      { statementId: 'partner', principal: PARTNER, action: 'signer:StartSigningJob' }
    ])

    const run = await runPermissionsMode(stack, profileName, {
      operation: 'remove',
      principal: DEPLOY,
      reason: 'INC-4711: deploy account compromised'
    })

    expect(run.exitCode).toBe(0)
    expect(run.outputs.changed).toBe('true')
    const calls = await permissionCalls(stack)
    const removes = calls.filter(c => c.operation === 'RemoveProfilePermission')
    expect(removes.map(c => c.input.statementId).sort()).toEqual([
      'deploy-read',
      'deploy-role',
      'deploy-sign'
    ])
    expect(removes.every(c => c.status === 200)).toBe(true)
    // Each removal names the revision the previous one produced.
    expect(new Set(removes.map(c => c.input.revisionId)).size).toBe(3)
    expect(await statementsOf(stack, profileName)).toEqual([
      { statementId: 'partner', principal: PARTNER, action: 'signer:StartSigningJob' }
    ])
    expect(parsedPermissions(run)).toEqual(await statementsOf(stack, profileName))
    expect(run.summary).toContain('INC-4711: deploy account compromised')
    expect(run.summary).toContain('removed 3 statement(s)')
  })

  it('a statement naming the principal added between read and write is removed too', async () => {
    const { profileName } = await seededProfile(stack, [
      { statementId: 'deploy-sign', principal: DEPLOY, action: 'signer:StartSigningJob' }
    ])
    await changeAfterFirstRead(stack, profileName, {
      statementId: 'late-grant',
      principal: DEPLOY,
      action: 'signer:RevokeSignature'
    })

    const run = await runPermissionsMode(stack, profileName, { operation: 'remove', principal: DEPLOY })

    expect(run.exitCode).toBe(0)
    const removes = (await permissionCalls(stack)).filter(c => c.operation === 'RemoveProfilePermission')
    expect(removes.map(c => [c.input.statementId, c.errorType])).toEqual([
      ['deploy-sign', 'ConflictException'],
      ['deploy-sign', undefined],
      ['late-grant', undefined]
    ])
    expect(await statementsOf(stack, profileName)).toEqual([])
    expect(parsedPermissions(run)).toEqual([])
  })

  it('an absent statement is a notice, not a failure, and nothing is written', async () => {
    const { profileName, revisionId } = await seededProfile(stack, [
      { statementId: 'a', principal: PARTNER, action: 'signer:StartSigningJob' }
    ])

    const byId = await runPermissionsMode(stack, profileName, {
      operation: 'remove',
      'statement-id': 'ghost'
    })
    const byPrincipal = await runPermissionsMode(stack, profileName, {
      operation: 'remove',
      principal: OTHER
    })

    for (const run of [byId, byPrincipal]) {
      expect(run.exitCode).toBe(0)
      expect(run.outputs.changed).toBe('false')
      expect(run.outputs['revision-id']).toBe(revisionId)
    }
    expect(noticeLines(byId)).toEqual([
      expect.stringContaining('Statement ghost is not in the policy: nothing to remove')
    ])
    expect(noticeLines(byPrincipal)).toEqual([
      expect.stringContaining(`No statement names ${OTHER}: nothing to remove`)
    ])
    expect((await permissionCalls(stack)).map(c => c.operation)).toEqual([
      'ListProfilePermissions',
      'ListProfilePermissions'
    ])
  })
})

describe('permissions mode: dry run', () => {
  it('reads and prints the change, and makes no write', async () => {
    const { profileName, revisionId } = await seededProfile(stack, [
      { statementId: 'deploy-sign', principal: DEPLOY, action: 'signer:StartSigningJob' }
    ])

    const grant = await runPermissionsMode(stack, profileName, {
      operation: 'grant',
      principal: `arn:aws:iam::${PARTNER}:role/signer`,
      'permission-action': 'signer:StartSigningJob',
      'dry-run': 'true'
    })
    const remove = await runPermissionsMode(stack, profileName, {
      operation: 'remove',
      principal: DEPLOY,
      'dry-run': 'true'
    })

    for (const run of [grant, remove]) {
      expect(run.exitCode).toBe(0)
      expect(run.outputs.changed).toBe('false')
      expect(run.outputs['revision-id']).toBe(revisionId)
      expect(parsedPermissions(run).map(s => s.statementId)).toEqual(['deploy-sign'])
      expect(run.summary).toContain('(dry run, nothing written)')
    }
    expect(grant.stdout).toContain(
      `would add statement StartSigningJob-${PARTNER}-role-signer: arn:aws:iam::${PARTNER}:role/signer may signer:StartSigningJob`
    )
    expect(grant.summary).toContain('➕ would be added')
    expect(remove.stdout).toContain(
      `would remove statement deploy-sign: ${DEPLOY} may signer:StartSigningJob`
    )
    expect(remove.summary).toContain('➖ would be removed')
    expect((await stack.emulator.admin.calls()).map(c => c.operation)).toEqual([
      'GetSigningProfile',
      'ListProfilePermissions',
      'GetSigningProfile',
      'ListProfilePermissions'
    ])
    expect((await statementsOf(stack, profileName)).map(s => s.statementId)).toEqual(['deploy-sign'])
  })
})
