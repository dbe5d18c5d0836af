/**
 * Permissions mode against what AWS does: a profile without statements has no policy (its listing is a
 * ResourceNotFoundException, the first add takes revisionId ''), the principals and the actions per platform
 * AWS takes, and the warning when a principal cut off is still covered by another statement.
 */
import {
  AddProfilePermissionCommand,
  ConflictException,
  GetSigningProfileCommand,
  ListProfilePermissionsCommand,
  ResourceNotFoundException,
  SignerClient
} from '@aws-sdk/client-signer'
import { mockClient } from 'aws-sdk-client-mock'
import { PermissionsConfig } from '../../src/config'
import { PreflightError } from '../../src/errors'
import { applyWithRetry } from '../../src/permissions/apply'
import { readPolicy } from '../../src/permissions/list'
import { planChange } from '../../src/permissions/plan'
import { grantRefusal, grantableActions } from '../../src/permissions/platforms'
import { covers, parsePrincipal } from '../../src/permissions/principal'
import { runPermissions } from '../../src/permissions/run'
import { PermissionsRequest, Statement } from '../../src/permissions/types'
import { captureRun, mockedClients, runContext } from '../support/run-harness'

const PROFILE = 'release_signing'
const ACCOUNT = '444455556666'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/deploy`
const signer = mockClient(SignerClient)
const clients = mockedClients()
const captured = captureRun()
const noPolicy = () => new ResourceNotFoundException({ message: 'no policy', $metadata: {} })
const sleep = async () => {}

const statement = (statementId: string, principal: string, action = 'signer:StartSigningJob'): Statement => ({
  statementId,
  principal,
  action
})
const GRANT: PermissionsRequest = {
  operation: 'grant',
  statement: statement('partner', '111122223333'),
  derivedId: false
}
const config = (request: PermissionsRequest, dryRun = false): PermissionsConfig => ({
  mode: 'permissions',
  profileName: PROFILE,
  request,
  dryRun,
  showSummary: false
})
const onPlatform = (platformId: string) =>
  signer.on(GetSigningProfileCommand).resolves({ platformId, status: 'Active' })

beforeEach(() => signer.reset())

describe('a profile without statements has no policy', () => {
  it('a listing answered ResourceNotFoundException is an empty policy without a revision', async () => {
    signer.on(ListProfilePermissionsCommand).rejects(noPolicy())
    expect(await readPolicy(clients.signer, PROFILE)).toEqual({ statements: [], pages: 0 })
  })

  it('a policy gone between two pages is read again', async () => {
    signer
      .on(ListProfilePermissionsCommand)
      .resolvesOnce({ revisionId: 'r1', permissions: [statement('a', ACCOUNT)], nextToken: 't' })
      .rejectsOnce(noPolicy())
      .rejectsOnce(noPolicy())
    expect(await readPolicy(clients.signer, PROFILE)).toEqual({ statements: [], pages: 0 })
    expect(signer).toHaveReceivedCommandTimes(ListProfilePermissionsCommand, 3)
  })

  it("after a conflict, a policy whose last statement was removed meanwhile takes the grant with ''", async () => {
    signer
      .on(AddProfilePermissionCommand)
      .rejectsOnce(new ConflictException({ message: 'x', $metadata: {} }))
      .resolves({ revisionId: 'r9' })
    signer.on(ListProfilePermissionsCommand).rejects(noPolicy())
    const start = { revisionId: 'r1', statements: [statement('gone', ACCOUNT)], pages: 1 }

    const result = await applyWithRetry(clients.signer, PROFILE, GRANT, start, { sleep })

    expect(signer.commandCalls(AddProfilePermissionCommand).map(c => c.args[0].input.revisionId)).toEqual([
      'r1',
      ''
    ])
    expect(result).toMatchObject({ changed: true, attempts: 2, after: { revisionId: 'r9' } })
  })

  it('a ResourceNotFoundException on the first add (the new policy not visible yet) is retried', async () => {
    signer.on(AddProfilePermissionCommand).rejectsOnce(noPolicy()).resolves({ revisionId: 'r1' })
    signer.on(ListProfilePermissionsCommand).rejects(noPolicy())
    const result = await applyWithRetry(
      clients.signer,
      PROFILE,
      GRANT,
      { statements: [], pages: 0 },
      { sleep }
    )
    expect(signer).toHaveReceivedCommandTimes(AddProfilePermissionCommand, 2)
    expect(result.attempts).toBe(2)
  })

  it("list on a fresh profile: no statements, revision-id '', and no error", async () => {
    onPlatform('AWSLambda-SHA384-ECDSA')
    signer.on(ListProfilePermissionsCommand).rejects(noPolicy())
    await runPermissions(config({ operation: 'list' }), clients, runContext())
    expect(captured.outputs).toEqual({ permissions: '[]', 'revision-id': '', changed: 'false' })
    expect(captured.log).toContain('No statements: the profile has no permissions policy')
  })

  it('an unknown profile is named as such before the listing, whose answer could not tell', async () => {
    signer.on(GetSigningProfileCommand).rejects(noPolicy())
    const run = runPermissions(config({ operation: 'list' }), clients, runContext())
    await expect(run).rejects.toThrow(PreflightError)
    await expect(run).rejects.toThrow(
      /Signing profile release_signing does not exist in us-east-1.*profile-name/
    )
    expect(signer).not.toHaveReceivedCommand(ListProfilePermissionsCommand)
  })
})

describe('actions per platform', () => {
  it.each([
    ['AWSLambda-SHA384-ECDSA', 'signer:SignPayload', /does not support signer:SignPayload.*StartSigningJob/],
    ['Notation-OCI-SHA384-ECDSA', 'signer:StartSigningJob', /does not support signer:StartSigningJob/],
    ['AWSIoTDeviceManagement-SHA256-ECDSA', 'signer:GetSigningProfile', /only for AWSLambda.*Notation/],
    ['AmazonFreeRTOS-Default', 'signer:StartSigningJob', /nothing can be granted/]
  ])(
    'on %s, %s is refused before any listing or write, dry run included',
    async (platformId, action, why) => {
      for (const dryRun of [false, true]) {
        signer.reset()
        onPlatform(platformId)
        const grant: PermissionsRequest = {
          ...GRANT,
          statement: { ...GRANT.statement, action }
        } as PermissionsRequest
        await expect(runPermissions(config(grant, dryRun), clients, runContext())).rejects.toThrow(why)
        expect(signer).not.toHaveReceivedCommand(ListProfilePermissionsCommand)
        expect(signer).not.toHaveReceivedCommand(AddProfilePermissionCommand)
      }
    }
  )

  it('lists what each platform can grant', () => {
    expect(grantableActions('AWSLambda-SHA384-ECDSA')).toEqual([
      'signer:StartSigningJob',
      'signer:GetSigningProfile',
      'signer:RevokeSignature'
    ])
    expect(grantableActions('Notation-OCI-SHA384-ECDSA')).toEqual([
      'signer:SignPayload',
      'signer:GetSigningProfile',
      'signer:RevokeSignature'
    ])
    expect(grantRefusal(PROFILE, 'Notation-OCI-SHA384-ECDSA', 'signer:RevokeSignature')).toBeUndefined()
  })
})

describe('principals', () => {
  it('takes account ids and role ARNs, rewrites an account root ARN, refuses the rest', () => {
    expect(parsePrincipal(ACCOUNT)).toEqual({ kind: 'ok', principal: ACCOUNT })
    expect(parsePrincipal(ROLE)).toEqual({ kind: 'ok', principal: ROLE })
    expect(parsePrincipal(`arn:aws:iam::${ACCOUNT}:root`)).toMatchObject({ kind: 'ok', principal: ACCOUNT })
    for (const refused of [`arn:aws:iam::${ACCOUNT}:user/ci`, '*', `arn:aws:iam::${ACCOUNT}:role/a/b`]) {
      expect(parsePrincipal(refused).kind).toBe('refused')
    }
  })

  it('an account id and a wildcard cover a role; a role covers only itself', () => {
    expect(covers(ACCOUNT, ROLE)).toBe(true)
    expect(covers('*', ROLE)).toBe(true)
    expect(covers(ROLE, ROLE)).toBe(true)
    expect(covers('111122223333', ROLE)).toBe(false)
    expect(covers(`arn:aws:iam::${ACCOUNT}:role/other`, ROLE)).toBe(false)
    expect(covers(ROLE, ACCOUNT)).toBe(false)
  })

  it('a rewritten principal is noted in the log, a role cut off but still covered is warned about', async () => {
    onPlatform('AWSLambda-SHA384-ECDSA')
    signer.on(ListProfilePermissionsCommand).resolves({
      revisionId: 'r1',
      permissions: [
        statement('role', ROLE),
        statement('account', ACCOUNT),
        statement('read', ACCOUNT, 'signer:GetSigningProfile')
      ]
    })
    const remove: PermissionsRequest = {
      operation: 'remove',
      by: 'principal',
      principal: ROLE,
      action: 'signer:StartSigningJob',
      principalNote: 'a note'
    }
    const record = await runPermissions(config(remove, true), clients, runContext())
    expect(record.result?.plan.warnings).toEqual([
      `${ROLE} is still allowed signer:StartSigningJob by statement account: ${ACCOUNT} may signer:StartSigningJob: ` +
        `remove it too (statement-id: account) to cut ${ROLE} off`
    ])
    expect(captured.log).toContain(`::warning::Profile ${PROFILE}: ${ROLE} is still allowed`)
    expect(captured.log).toContain(`::notice::Profile ${PROFILE}: a note`)
  })
})

describe('remove by principal warns about what still covers it', () => {
  const policyOf = (...statements: Statement[]) => ({ revisionId: 'r1', statements, pages: 1 })
  const byPrincipal = (principal: string, extra: Partial<PermissionsRequest> = {}) =>
    ({ operation: 'remove', by: 'principal', principal, ...extra }) as PermissionsRequest

  it('a wildcard covers an account cut off, and a nothing-to-remove still warns', () => {
    const plan = planChange(byPrincipal(ACCOUNT), policyOf(statement('role', ROLE), statement('any', '*')))
    expect(plan.changes.map(c => c.statement.statementId)).toEqual(['role'])
    expect(plan.warnings).toHaveLength(1)
    expect(plan.warnings?.[0]).toContain('by statement any: * may signer:StartSigningJob')
    const nothing = planChange(byPrincipal(ROLE), policyOf(statement('account', ACCOUNT)))
    expect(nothing.changes).toEqual([])
    expect(nothing.warnings?.[0]).toContain('statement account')
  })

  it('a statement on every version covers a principal cut off one version', () => {
    const allVersions = statement('all', ROLE)
    const oneVersion = { ...statement('v1', ROLE), profileVersion: 'AbCdE12345' }
    const plan = planChange(
      byPrincipal(ROLE, { profileVersion: 'AbCdE12345' }),
      policyOf(allVersions, oneVersion)
    )
    expect(plan.changes.map(c => c.statement.statementId)).toEqual(['v1'])
    expect(plan.warnings?.[0]).toContain('by statement all')
  })

  it('nothing left that covers the principal: no warnings', () => {
    const plan = planChange(
      byPrincipal(ROLE, { action: 'signer:StartSigningJob' }),
      policyOf(
        statement('role', ROLE),
        statement('read', ACCOUNT, 'signer:GetSigningProfile'),
        statement('other', '111122223333')
      )
    )
    expect(plan.warnings).toBeUndefined()
  })
})
