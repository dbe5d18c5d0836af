import {
  AddProfilePermissionCommand,
  ConflictException,
  GetSigningProfileCommand,
  ListProfilePermissionsCommand,
  RemoveProfilePermissionCommand,
  SignerClient,
  ValidationException
} from '@aws-sdk/client-signer'
import { mockClient } from 'aws-sdk-client-mock'
import { PermissionsConfig } from '../../src/config'
import {
  ConflictRetriesExhaustedError,
  StatementClashError,
  applyWithRetry
} from '../../src/permissions/apply'
import { readPolicy } from '../../src/permissions/list'
import { runPermissions } from '../../src/permissions/run'
import { PermissionsRequest, Policy, Statement } from '../../src/permissions/types'
import { captureRun, mockedClients, runContext } from '../support/run-harness'

const PROFILE = 'release_signing'
const PARTNER = '111122223333'
const DEPLOY = '444455556666'
const CONTEXT = runContext({ workflow: 'permissions', runId: '88', actor: 'octo-platform' })

const signer = mockClient(SignerClient)
const clients = mockedClients()
const client = clients.signer

const conflict = () => new ConflictException({ message: 'stale revision', $metadata: {} })
const statement = (
  statementId: string,
  principal = PARTNER,
  action = 'signer:StartSigningJob'
): Statement => ({
  statementId,
  principal,
  action
})
const policy = (revisionId: string | undefined, ...statements: Statement[]): Policy => ({
  ...(revisionId ? { revisionId } : {}),
  statements,
  pages: 1
})

const GRANT: PermissionsRequest = {
  operation: 'grant',
  statement: statement('partner-sign'),
  derivedId: false
}

const captured = captureRun()
let sleeps: number[]
const sleep = async (ms: number) => {
  sleeps.push(ms)
}

beforeEach(() => {
  signer.reset()
  sleeps = []
})

describe('readPolicy', () => {
  it('reads every page, passing each nextToken on', async () => {
    signer
      .on(ListProfilePermissionsCommand)
      .resolvesOnce({ revisionId: 'r1', permissions: [statement('a')], nextToken: 't1' })
      .resolvesOnce({ revisionId: 'r1', permissions: [statement('b')], nextToken: 't2' })
      .resolvesOnce({ revisionId: 'r1', permissions: [statement('c', DEPLOY)] })

    const read = await readPolicy(client, PROFILE)

    expect(read).toEqual({
      revisionId: 'r1',
      statements: [statement('a'), statement('b'), statement('c', DEPLOY)],
      pages: 3
    })
    expect(signer.commandCalls(ListProfilePermissionsCommand).map(call => call.args[0].input)).toEqual([
      { profileName: PROFILE, nextToken: undefined },
      { profileName: PROFILE, nextToken: 't1' },
      { profileName: PROFILE, nextToken: 't2' }
    ])
  })

  it('starts again when the revision changes between pages, so what it returns is one revision', async () => {
    signer
      .on(ListProfilePermissionsCommand)
      .resolvesOnce({ revisionId: 'r1', permissions: [statement('a')], nextToken: 't1' })
      .resolvesOnce({ revisionId: 'r2', permissions: [statement('b')] })
      .resolvesOnce({ revisionId: 'r2', permissions: [statement('a'), statement('b')] })

    expect(await readPolicy(client, PROFILE)).toEqual(policy('r2', statement('a'), statement('b')))
    expect(signer).toHaveReceivedCommandTimes(ListProfilePermissionsCommand, 3)
  })

  it('a profile that never had a permission has no revision', async () => {
    signer.on(ListProfilePermissionsCommand).resolves({ permissions: [] })
    expect(await readPolicy(client, PROFILE)).toEqual({ statements: [], pages: 1 })
  })

  it('refuses a nextToken that comes back twice instead of looping', async () => {
    signer
      .on(ListProfilePermissionsCommand)
      .resolves({ revisionId: 'r1', permissions: [], nextToken: 'same' })
    await expect(readPolicy(client, PROFILE)).rejects.toThrow('returned the same nextToken twice')
    expect(signer).toHaveReceivedCommandTimes(ListProfilePermissionsCommand, 2)
  })
})

describe('applyWithRetry', () => {
  it('writes with the revisionId it read', async () => {
    signer.on(AddProfilePermissionCommand).resolves({ revisionId: 'r2' })
    const result = await applyWithRetry(client, PROFILE, GRANT, policy('r1', statement('other', DEPLOY)), {
      sleep
    })
    expect(signer.commandCalls(AddProfilePermissionCommand).map(call => call.args[0].input)).toEqual([
      {
        profileName: PROFILE,
        statementId: 'partner-sign',
        principal: PARTNER,
        action: 'signer:StartSigningJob',
        revisionId: 'r1'
      }
    ])
    expect(result).toMatchObject({
      changed: true,
      attempts: 1,
      after: policy('r2', statement('other', DEPLOY), statement('partner-sign'))
    })
    expect(signer).not.toHaveReceivedCommand(ListProfilePermissionsCommand)
    expect(sleeps).toEqual([])
  })

  it("sends revisionId '' for the first permission of a profile, as the Terraform provider does", async () => {
    signer.on(AddProfilePermissionCommand).resolves({ revisionId: 'r1' })
    await applyWithRetry(client, PROFILE, GRANT, policy(undefined), { sleep })
    expect(signer.commandCalls(AddProfilePermissionCommand)[0].args[0].input.revisionId).toBe('')
  })

  it('on ConflictException reads again and writes with the new revision', async () => {
    signer.on(AddProfilePermissionCommand).rejectsOnce(conflict()).resolves({ revisionId: 'r3' })
    signer
      .on(ListProfilePermissionsCommand)
      .resolves({ revisionId: 'r2', permissions: [statement('someone-else', DEPLOY)] })

    const result = await applyWithRetry(client, PROFILE, GRANT, policy('r1'), { sleep, random: () => 0.5 })

    expect(
      signer.commandCalls(AddProfilePermissionCommand).map(call => call.args[0].input.revisionId)
    ).toEqual(['r1', 'r2'])
    expect(signer).toHaveReceivedCommandTimes(ListProfilePermissionsCommand, 1)
    expect(sleeps).toEqual([200])
    expect(result).toMatchObject({
      changed: true,
      attempts: 2,
      written: [{ kind: 'add', statement: statement('partner-sign') }],
      after: policy('r3', statement('someone-else', DEPLOY), statement('partner-sign'))
    })
  })

  it('a conflict caused by the same grant made meanwhile ends with nothing to do', async () => {
    signer.on(AddProfilePermissionCommand).rejectsOnce(conflict())
    signer
      .on(ListProfilePermissionsCommand)
      .resolves({ revisionId: 'r2', permissions: [statement('partner-sign')] })
    const result = await applyWithRetry(client, PROFILE, GRANT, policy('r1'), { sleep })
    expect(signer).toHaveReceivedCommandTimes(AddProfilePermissionCommand, 1)
    expect(result).toMatchObject({ changed: false, attempts: 2, plan: { changes: [] } })
    expect(result.plan.notices[0]).toMatch(/^Already granted/)
  })

  it('a clash found on re-reading fails showing both statements', async () => {
    signer.on(AddProfilePermissionCommand).rejectsOnce(conflict())
    signer
      .on(ListProfilePermissionsCommand)
      .resolves({ revisionId: 'r2', permissions: [statement('partner-sign', DEPLOY)] })
    await expect(applyWithRetry(client, PROFILE, GRANT, policy('r1'), { sleep })).rejects.toThrow(
      StatementClashError
    )
  })

  it('gives up after maxAttempts conflicts in a row, backing off between them', async () => {
    signer.on(AddProfilePermissionCommand).rejects(conflict())
    signer.on(ListProfilePermissionsCommand).resolves({ revisionId: 'rN', permissions: [] })

    const attempt = applyWithRetry(client, PROFILE, GRANT, policy('r1'), {
      sleep,
      random: () => 0.5,
      maxAttempts: 4
    })

    await expect(attempt).rejects.toThrow(ConflictRetriesExhaustedError)
    await expect(attempt).rejects.toThrow(/changed between our read and our write 4 times in a row/)
    expect(signer).toHaveReceivedCommandTimes(AddProfilePermissionCommand, 4)
    expect(signer).toHaveReceivedCommandTimes(ListProfilePermissionsCommand, 3)
    expect(sleeps).toEqual([200, 400, 800])
  })

  it('does not retry other errors', async () => {
    signer.on(AddProfilePermissionCommand).rejects(new ValidationException({ message: 'bad', $metadata: {} }))
    await expect(applyWithRetry(client, PROFILE, GRANT, policy('r1'), { sleep })).rejects.toThrow(
      ValidationException
    )
    expect(signer).not.toHaveReceivedCommand(ListProfilePermissionsCommand)
    expect(sleeps).toEqual([])
  })

  it('removes each statement with the revision the previous removal returned', async () => {
    signer
      .on(RemoveProfilePermissionCommand)
      .resolvesOnce({ revisionId: 'r2' })
      .resolvesOnce({ revisionId: 'r3' })
    const remove: PermissionsRequest = { operation: 'remove', by: 'principal', principal: DEPLOY }
    const start = policy(
      'r1',
      statement('d1', DEPLOY),
      statement('keep'),
      statement('d2', `arn:aws:iam::${DEPLOY}:root`)
    )

    const result = await applyWithRetry(client, PROFILE, remove, start, { sleep })

    expect(signer.commandCalls(RemoveProfilePermissionCommand).map(call => call.args[0].input)).toEqual([
      { profileName: PROFILE, statementId: 'd1', revisionId: 'r1' },
      { profileName: PROFILE, statementId: 'd2', revisionId: 'r2' }
    ])
    expect(result.after).toEqual(policy('r3', statement('keep')))
  })

  it('a conflict half-way through a removal re-reads, removes what is left, and counts as a change', async () => {
    signer
      .on(RemoveProfilePermissionCommand)
      .resolvesOnce({ revisionId: 'r2' })
      .rejectsOnce(conflict())
      .resolves({ revisionId: 'r4' })
    // Meanwhile someone else granted the principal again under another id.
    signer
      .on(ListProfilePermissionsCommand)
      .resolves({ revisionId: 'r3', permissions: [statement('d2', DEPLOY), statement('d3', DEPLOY)] })
    const remove: PermissionsRequest = { operation: 'remove', by: 'principal', principal: DEPLOY }

    const result = await applyWithRetry(
      client,
      PROFILE,
      remove,
      policy('r1', statement('d1', DEPLOY), statement('d2', DEPLOY)),
      {
        sleep
      }
    )

    expect(signer.commandCalls(RemoveProfilePermissionCommand).map(call => call.args[0].input)).toEqual([
      { profileName: PROFILE, statementId: 'd1', revisionId: 'r1' },
      { profileName: PROFILE, statementId: 'd2', revisionId: 'r2' },
      { profileName: PROFILE, statementId: 'd2', revisionId: 'r3' },
      { profileName: PROFILE, statementId: 'd3', revisionId: 'r4' }
    ])
    expect(result).toMatchObject({ changed: true, attempts: 2, after: { revisionId: 'r4', statements: [] } })
    // Every write of both rounds, so the record counts the one made before the conflict too.
    expect(result.written.map(change => change.statement.statementId)).toEqual(['d1', 'd2', 'd3'])
  })
})

describe('runPermissions', () => {
  function config(request: PermissionsRequest, extra: Partial<PermissionsConfig> = {}): PermissionsConfig {
    return { mode: 'permissions', profileName: PROFILE, request, dryRun: false, showSummary: false, ...extra }
  }

  beforeEach(() => {
    signer.on(GetSigningProfileCommand).resolves({ platformId: 'AWSLambda-SHA384-ECDSA', status: 'Active' })
  })

  it('list: every statement as the permissions output, no write', async () => {
    signer.on(ListProfilePermissionsCommand).resolves({ revisionId: 'r1', permissions: [statement('a')] })
    const record = await runPermissions(config({ operation: 'list' }), clients, CONTEXT)
    expect(captured.outputs).toEqual({
      permissions: JSON.stringify([statement('a')]),
      'revision-id': 'r1',
      changed: 'false'
    })
    expect(record.result).toBeUndefined()
    expect(signer).not.toHaveReceivedCommand(AddProfilePermissionCommand)
  })

  it('a dry run reads, prints the change and writes nothing', async () => {
    signer
      .on(ListProfilePermissionsCommand)
      .resolves({ revisionId: 'r1', permissions: [statement('d1', DEPLOY)] })
    await runPermissions(
      config({ operation: 'remove', by: 'principal', principal: DEPLOY }, { dryRun: true }),
      clients,
      CONTEXT
    )
    expect(signer).not.toHaveReceivedCommand(RemoveProfilePermissionCommand)
    expect(captured.outputs).toEqual({
      permissions: JSON.stringify([statement('d1', DEPLOY)]),
      'revision-id': 'r1',
      changed: 'false'
    })
    expect(captured.log).toContain(`would remove statement d1: ${DEPLOY} may signer:StartSigningJob`)
  })

  it('a grant clashing with an existing statement fails before any write', async () => {
    signer.on(ListProfilePermissionsCommand).resolves({
      revisionId: 'r1',
      permissions: [statement('partner-sign', PARTNER, 'signer:GetSigningProfile')]
    })
    await expect(runPermissions(config(GRANT), clients, CONTEXT)).rejects.toThrow(StatementClashError)
    expect(signer).not.toHaveReceivedCommand(AddProfilePermissionCommand)
    expect(captured.outputs).toEqual({})
  })

  it('a grant sets the outputs from the revision its write returned', async () => {
    signer.on(ListProfilePermissionsCommand).resolves({ revisionId: 'r1', permissions: [] })
    signer.on(AddProfilePermissionCommand).resolves({ revisionId: 'r2' })
    await runPermissions(config(GRANT), clients, CONTEXT)
    expect(captured.outputs).toEqual({
      permissions: JSON.stringify([statement('partner-sign')]),
      'revision-id': 'r2',
      changed: 'true'
    })
  })
})
