/**
 * The emulator's profile permissions as AWS documents them (emulator/README.md, "Profile permissions"):
 * revision ids, the revisionId AWS asks for after the first permission, pagination without maxResults,
 * validation of each member, and the changePolicy fault that puts a concurrent change between a read
 * and a write.
 */
import {
  AddProfilePermissionCommand,
  AddProfilePermissionCommandInput,
  ListProfilePermissionsCommand,
  PutSigningProfileCommand,
  RemoveProfilePermissionCommand
} from '@aws-sdk/client-signer'
import { LocalStack, startStack } from '../../scripts/stack'
import { failure } from '../support/signer-error'
import { Seed, seed } from './permissions-support'

let stack: LocalStack
let nextProfile = 1

beforeAll(async () => {
  stack = await startStack()
})

afterAll(async () => {
  await stack?.stop()
})

beforeEach(async () => {
  await stack.emulator.admin.clearFaults()
})

async function newProfile(): Promise<{ profileName: string; profileVersion: string }> {
  const profileName = `emu_perm_${nextProfile++}`
  const put = await stack.signer.send(
    new PutSigningProfileCommand({ profileName, platformId: 'AWSLambda-SHA384-ECDSA' })
  )
  return { profileName, profileVersion: put.profileVersion as string }
}

const add = (input: AddProfilePermissionCommandInput) =>
  stack.signer.send(new AddProfilePermissionCommand(input))
const list = (profileName: string, nextToken?: string) =>
  stack.signer.send(new ListProfilePermissionsCommand({ profileName, nextToken }))

async function expectError(promise: Promise<unknown>, name: string, status: number, message?: RegExp) {
  const error = await failure(promise)
  expect(error.name).toBe(name)
  expect(error.$metadata.httpStatusCode).toBe(status)
  if (message) expect(error.message).toMatch(message)
}

const PARTNER = '111122223333'

/** AddProfilePermission for PARTNER: the statement every test writes, against `revisionId` when given. */
const grant = (profileName: string, statementId: string, action: string, revisionId?: string) =>
  add({ profileName, statementId, principal: PARTNER, action, revisionId })

/** `count` StartSigningJob statements for PARTNER, as seed() adds them one revision after another. */
const startSigningJobStatements = (count: number, id: (i: number) => string): Seed[] =>
  Array.from({ length: count }, (_, i) => ({
    statementId: id(i),
    principal: PARTNER,
    action: 'signer:StartSigningJob'
  }))

test('the first permission needs no revisionId; every later change needs the current one', async () => {
  const { profileName } = await newProfile()
  const first = await grant(profileName, 'a', 'signer:StartSigningJob')
  expect(first.revisionId).toEqual(expect.any(String))
  await expectError(
    grant(profileName, 'b', 'signer:GetSigningProfile'),
    'ConflictException',
    409,
    /revisionId \(none\) does not match the policy's current revision/
  )
  const second = await grant(profileName, 'b', 'signer:GetSigningProfile', first.revisionId)
  expect(second.revisionId).not.toBe(first.revisionId)
  // The same statement id again, even with the current revision: a conflict.
  await expectError(
    grant(profileName, 'b', 'signer:GetSigningProfile', second.revisionId),
    'ConflictException',
    409,
    /statementId b already exists/
  )
  // A removal with the first, now stale, revision.
  await expectError(
    stack.signer.send(
      new RemoveProfilePermissionCommand({ profileName, statementId: 'a', revisionId: first.revisionId })
    ),
    'ConflictException',
    409
  )
  const removed = await stack.signer.send(
    new RemoveProfilePermissionCommand({ profileName, statementId: 'a', revisionId: second.revisionId })
  )
  expect((await list(profileName)).revisionId).toBe(removed.revisionId)
})

test('each member is checked as the model and the API reference say', async () => {
  const { profileName, profileVersion } = await newProfile()
  const valid = { profileName, statementId: 's', principal: PARTNER, action: 'signer:StartSigningJob' }
  await expectError(
    add({ ...valid, action: 'signer:PutSigningProfile' }),
    'ValidationException',
    400,
    /Value 'signer:PutSigningProfile' at 'action' failed to satisfy constraint: Member must satisfy enum value set/
  )
  await expectError(
    add({ ...valid, principal: undefined }),
    'ValidationException',
    400,
    /'principal'.*must not be null/
  )
  await expectError(
    add({ ...valid, statementId: undefined }),
    'ValidationException',
    400,
    /'statementId'.*must not be null/
  )
  await expectError(
    add({ ...valid, profileVersion: 'v1' }),
    'ValidationException',
    400,
    /at 'profileVersion'/
  )
  await expectError(
    add({ ...valid, profileVersion: 'ZZZZZZZZZZ' }),
    'ResourceNotFoundException',
    404,
    /no version ZZZZZZZZZZ/
  )
  await expectError(add({ ...valid, profileName: 'no_such_profile' }), 'ResourceNotFoundException', 404)

  // Every action a Lambda profile can grant, a statement id with characters the model does not forbid, and
  // a version.
  let revisionId: string | undefined
  for (const action of ['signer:StartSigningJob', 'signer:GetSigningProfile', 'signer:RevokeSignature']) {
    revisionId = (await add({ ...valid, statementId: `${action}/x`, action, profileVersion, revisionId }))
      .revisionId
  }
  const listed = await list(profileName)
  expect(listed.permissions?.map(p => p.statementId)).toEqual([
    'signer:GetSigningProfile/x',
    'signer:RevokeSignature/x',
    'signer:StartSigningJob/x'
  ])
  expect(listed.permissions?.every(p => p.profileVersion === profileVersion)).toBe(true)
  await stack.signer.send(
    new RemoveProfilePermissionCommand({
      profileName,
      statementId: 'signer:RevokeSignature/x',
      revisionId: listed.revisionId
    })
  )
  expect((await list(profileName)).permissions).toHaveLength(2)
})

test('ListProfilePermissions pages 25 statements at a time with a nextToken (the API has no maxResults)', async () => {
  const { profileName } = await newProfile()
  const revisionId = await seed(
    stack,
    profileName,
    startSigningJobStatements(30, i => `s${String(i).padStart(2, '0')}`)
  )
  const first = await list(profileName)
  expect(first.permissions).toHaveLength(25)
  expect(first.nextToken).toEqual(expect.any(String))
  expect(first.revisionId).toBe(revisionId)
  const second = await list(profileName, first.nextToken)
  expect(second.permissions?.map(p => p.statementId)).toEqual(['s25', 's26', 's27', 's28', 's29'])
  expect(second.nextToken).toBeUndefined()
  expect(second.revisionId).toBe(revisionId)
  await expectError(list(`${profileName}_other`, first.nextToken), 'ResourceNotFoundException', 404)
})

test('a profile holds at most 100 permissions: the 101st is a ServiceLimitExceededException', async () => {
  const { profileName } = await newProfile()
  const revisionId = await seed(
    stack,
    profileName,
    startSigningJobStatements(100, i => `s${i}`)
  )
  await expectError(
    grant(profileName, 's100', 'signer:StartSigningJob', revisionId),
    'ServiceLimitExceededException',
    402
  )
})

describe('the changePolicy fault', () => {
  test('without a permission, the revision a listing returned is stale once it has answered', async () => {
    const { profileName } = await newProfile()
    const first = await grant(profileName, 'a', 'signer:StartSigningJob')
    await stack.emulator.admin.injectFault({ type: 'changePolicy', profileName, count: 1 })
    const read = await list(profileName)
    expect(read.revisionId).toBe(first.revisionId)
    await expectError(
      grant(profileName, 'b', 'signer:RevokeSignature', read.revisionId),
      'ConflictException',
      409
    )
    // Used once: the next listing's revision holds.
    const again = await list(profileName)
    expect(again.revisionId).not.toBe(first.revisionId)
    await grant(profileName, 'b', 'signer:RevokeSignature', again.revisionId)
    expect(await stack.emulator.admin.faults()).toEqual([])
  })

  test('with a permission, another writer adds it right after the listing, for that profile only', async () => {
    const { profileName } = await newProfile()
    const other = await newProfile()
    await stack.emulator.admin.injectFault({
      type: 'changePolicy',
      profileName,
      count: 1,
      permission: { statementId: 'late', principal: PARTNER, action: 'signer:RevokeSignature' }
    })
    // Neither profile has a policy yet: each listing is a ResourceNotFoundException, and the first one of
    // the fault's profile is the read the other writer waited for.
    await expectError(list(other.profileName), 'ResourceNotFoundException', 404)
    await expectError(list(profileName), 'ResourceNotFoundException', 404)
    expect((await list(profileName)).permissions).toEqual([
      { statementId: 'late', principal: PARTNER, action: 'signer:RevokeSignature' }
    ])
    await expectError(list(other.profileName), 'ResourceNotFoundException', 404)
  })

  test('the admin API refuses a malformed changePolicy fault', async () => {
    await expect(stack.emulator.admin.injectFault({ type: 'changePolicy' } as never)).rejects.toThrow(
      /changePolicy needs profileName/
    )
    await expect(
      stack.emulator.admin.injectFault({
        type: 'changePolicy',
        profileName: 'p',
        permission: { statementId: 'x' }
      } as never)
    ).rejects.toThrow(/permission.principal must be a non-empty string/)
    await expect(
      stack.emulator.admin.injectFault({
        type: 'changePolicy',
        profileName: 'p',
        permission: { statementId: 'x', principal: PARTNER, action: 'signer:PutSigningProfile' }
      })
    ).rejects.toThrow(/permission.action must be one of signer:StartSigningJob/)
  })
})
