/**
 * The emulator's profile permissions where AWS's service goes beyond the model (emulator/README.md, "Profile
 * permissions"): a profile without statements has no policy, the principals AWS takes, and the actions each
 * platform can grant.
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

const PARTNER = '111122223333'
const NOT_A_PRINCIPAL = 'Principal is not a valid AWS account id or IAM Role Arn'

async function newProfile(platformId = 'AWSLambda-SHA384-ECDSA'): Promise<string> {
  const profileName = `emu_aws_${nextProfile++}`
  const iot = platformId.startsWith('AWSIoT') || platformId.startsWith('AmazonFreeRTOS')
  await stack.signer.send(
    new PutSigningProfileCommand({
      profileName,
      platformId,
      ...(iot
        ? { signingMaterial: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/a' } }
        : {})
    })
  )
  return profileName
}

const add = (
  input: Omit<AddProfilePermissionCommandInput, 'principal' | 'action'> &
    Partial<AddProfilePermissionCommandInput>
) =>
  stack.signer.send(
    new AddProfilePermissionCommand({ principal: PARTNER, action: 'signer:StartSigningJob', ...input })
  )
const list = (profileName: string) => stack.signer.send(new ListProfilePermissionsCommand({ profileName }))

async function expectError(
  promise: Promise<unknown>,
  name: string,
  status: number,
  message?: string | RegExp
) {
  const error = await failure(promise)
  expect(error.name).toBe(name)
  expect(error.$metadata.httpStatusCode).toBe(status)
  if (message) expect(error.message).toMatch(message)
}

describe('a profile without statements has no policy', () => {
  test("its listing is a ResourceNotFoundException; the first add takes revisionId '' or none", async () => {
    const profileName = await newProfile()
    await expectError(list(profileName), 'ResourceNotFoundException', 404, /has no permissions policy/)
    const first = await add({ profileName, statementId: 'a', revisionId: '' })
    expect(first.revisionId).toEqual(expect.any(String))
    expect((await list(profileName)).revisionId).toBe(first.revisionId)
    // Once there is a policy, '' is as stale as any other revision.
    await expectError(add({ profileName, statementId: 'b', revisionId: '' }), 'ConflictException', 409)

    const other = await newProfile()
    expect((await add({ profileName: other, statementId: 'a' })).revisionId).toEqual(expect.any(String))
  })

  test('removing the last statement removes the policy: listed as none, and the next add is a first one', async () => {
    const profileName = await newProfile()
    const first = await add({ profileName, statementId: 'only', revisionId: '' })
    const removed = await stack.signer.send(
      new RemoveProfilePermissionCommand({ profileName, statementId: 'only', revisionId: first.revisionId })
    )
    expect(removed.revisionId).toBeUndefined()
    await expectError(list(profileName), 'ResourceNotFoundException', 404)
    await expectError(
      stack.signer.send(
        new RemoveProfilePermissionCommand({ profileName, statementId: 'only', revisionId: '' })
      ),
      'ResourceNotFoundException',
      404
    )
    // A revision from before the removal is stale; '' adds the first statement again.
    await expectError(
      add({ profileName, statementId: 'again', revisionId: first.revisionId }),
      'ConflictException',
      409
    )
    expect((await add({ profileName, statementId: 'again', revisionId: '' })).revisionId).toEqual(
      expect.any(String)
    )
  })

  test('the changePolicy fault can remove a statement right after a listing (here the last one)', async () => {
    const profileName = await newProfile()
    const { revisionId } = await add({ profileName, statementId: 'gone', revisionId: '' })
    await stack.emulator.admin.injectFault({
      type: 'changePolicy',
      profileName,
      count: 1,
      removeStatementId: 'gone'
    })
    expect((await list(profileName)).revisionId).toBe(revisionId)
    await expectError(add({ profileName, statementId: 'new', revisionId }), 'ConflictException', 409)
    await expectError(list(profileName), 'ResourceNotFoundException', 404)
    await expect(
      stack.emulator.admin.injectFault({
        type: 'changePolicy',
        profileName,
        removeStatementId: 'x',
        permission: { statementId: 'y', principal: PARTNER, action: 'signer:StartSigningJob' }
      })
    ).rejects.toThrow(/permission or removeStatementId, not both/)
  })
})

describe('principals: an account ID or an IAM role ARN', () => {
  test.each([
    PARTNER,
    `arn:aws:iam::${PARTNER}:role/deploy`,
    `arn:aws-us-gov:iam::${PARTNER}:role/ci.release@x`
  ])('%s is taken', async principal => {
    const profileName = await newProfile()
    await add({ profileName, statementId: 's', principal })
    expect((await list(profileName)).permissions).toEqual([
      { statementId: 's', principal, action: 'signer:StartSigningJob' }
    ])
  })

  test.each([
    `arn:aws:iam::${PARTNER}:root`,
    `arn:aws:iam::${PARTNER}:user/ci`,
    `arn:aws:sts::${PARTNER}:assumed-role/deploy/session`,
    `arn:aws:iam::${PARTNER}:role/teams/deploy`,
    '*',
    '1234'
  ])('%s is a ValidationException with AWS message', async principal => {
    const profileName = await newProfile()
    await expectError(
      add({ profileName, statementId: 's', principal }),
      'ValidationException',
      400,
      NOT_A_PRINCIPAL
    )
  })
})

describe('actions per platform', () => {
  test('a Lambda profile cannot grant signer:SignPayload', async () => {
    const profileName = await newProfile('AWSLambda-SHA384-ECDSA')
    await expectError(
      add({ profileName, statementId: 's', action: 'signer:SignPayload' }),
      'ValidationException',
      400,
      'Action signer:SignPayload not supported for platform AWSLambda-SHA384-ECDSA. Action must be one of ' +
        '[signer:StartSigningJob, signer:GetSigningProfile, signer:RevokeSignature]'
    )
  })

  test('a container (Notation) profile cannot grant signer:StartSigningJob, and can grant signer:SignPayload', async () => {
    const profileName = await newProfile('Notation-OCI-SHA384-ECDSA')
    await expectError(
      add({ profileName, statementId: 's', action: 'signer:StartSigningJob' }),
      'ValidationException',
      400,
      /^Action signer:StartSigningJob not supported for platform Notation-OCI-SHA384-ECDSA\. Action must be one of \[signer:SignPayload, signer:GetSi/
    )
    await add({ profileName, statementId: 's', action: 'signer:SignPayload' })
    expect((await list(profileName)).permissions?.map(p => p.action)).toEqual(['signer:SignPayload'])
  })

  test.each(['AWSIoTDeviceManagement-SHA256-ECDSA', 'AmazonFreeRTOS-Default'])(
    'a profile on %s cannot be shared at all',
    async platformId => {
      const profileName = await newProfile(platformId)
      await expectError(
        add({ profileName, statementId: 's', action: 'signer:GetSigningProfile' }),
        'ValidationException',
        400,
        `Cross-account permissions are not supported for platform ${platformId}.`
      )
    }
  )
})
