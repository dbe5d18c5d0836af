/**
 * Rules other projects' Signer suites exercise: tagging errors (BadRequestException), the container
 * (Notation) platform, and SignPayload, through the JS SDK against the emulator.
 */
import {
  AddProfilePermissionCommand,
  CancelSigningProfileCommand,
  GetSigningPlatformCommand,
  ListTagsForResourceCommand,
  PutSigningProfileCommand,
  SignerClient,
  SignPayloadCommand,
  StartSigningJobCommand,
  TagResourceCommand,
  UntagResourceCommand
} from '@aws-sdk/client-signer'
import { NotaryJws, verifyNotaryJws } from '../../emulator/crypto/notary-jws'
import { lambdaZip, putSource, signerClientAs } from '../../emulator/testing'
import { LocalStack, startStack } from '../../scripts/stack'

const NOTATION = 'Notation-OCI-SHA384-ECDSA'
const NOTARY_PAYLOAD = 'application/vnd.cncf.notary.payload.v1+json'
const OTHER_ACCOUNT = '444455556666'

let stack: LocalStack
let other: SignerClient
beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 50 })
  await stack.emulator.admin.configure({ identities: { AKIDPEEROTHER: { accountId: OTHER_ACCOUNT } } })
  other = signerClientAs(stack.signerEndpoint, stack.region, 'AKIDPEEROTHER')
  await stack.signer.send(new PutSigningProfileCommand({ profileName: 'images', platformId: NOTATION }))
}, 60000)
afterAll(async () => {
  other?.destroy()
  await stack?.stop()
})

async function failure(
  promise: Promise<unknown>
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } }
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode }
  }
  throw new Error('expected the call to fail')
}

describe('tags: BadRequestException for bad tags and for a canceled profile (model: shapes.BadRequestException)', () => {
  test.each([
    ['a key starting with aws:', { 'aws:owner': 'x' }],
    ['a key with a space', { 'team name': 'x' }],
    ['a key of 129 characters', { ['k'.repeat(129)]: 'x' }],
    ['a value of 257 characters', { team: 'v'.repeat(257) }]
  ])('TagResource with %s', async (_, tags) => {
    const { arn } = await stack.signer.send(
      new PutSigningProfileCommand({ profileName: 'tags_bad', platformId: 'AWSLambda-SHA384-ECDSA' })
    )
    const refused = await failure(stack.signer.send(new TagResourceCommand({ resourceArn: arn, tags })))
    expect(refused).toMatchObject({ name: 'BadRequestException', status: 400 })
  })

  test('UntagResource with an invalid key', async () => {
    const { arn } = await stack.signer.send(
      new PutSigningProfileCommand({ profileName: 'untag_bad', platformId: 'AWSLambda-SHA384-ECDSA' })
    )
    const refused = await failure(
      stack.signer.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['aws:owner'] }))
    )
    expect(refused).toMatchObject({ name: 'BadRequestException', status: 400 })
  })

  test('every tagging call on a canceled profile; an active one still tags', async () => {
    const { arn } = await stack.signer.send(
      new PutSigningProfileCommand({
        profileName: 'tags_canceled',
        platformId: 'AWSLambda-SHA384-ECDSA',
        tags: { team: 'a' }
      })
    )
    await stack.signer.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'prod' } }))
    await stack.signer.send(new CancelSigningProfileCommand({ profileName: 'tags_canceled' }))
    for (const call of [
      new TagResourceCommand({ resourceArn: arn, tags: { env: 'dev' } }),
      new UntagResourceCommand({ resourceArn: arn, tagKeys: ['env'] }),
      new ListTagsForResourceCommand({ resourceArn: arn })
    ]) {
      const refused = await failure(stack.signer.send(call as TagResourceCommand))
      expect(refused).toMatchObject({ name: 'BadRequestException', status: 400 })
      expect(refused.message).toContain('tags_canceled is Canceled')
    }
  })
})

describe('the container platform (Notation-OCI-SHA384-ECDSA)', () => {
  test('is listed, and a profile on it needs no certificate (Signer manages its keys)', async () => {
    const platform = await stack.signer.send(new GetSigningPlatformCommand({ platformId: NOTATION }))
    expect(platform).toMatchObject({
      platformId: NOTATION,
      displayName: 'Notation for container registries',
      revocationSupported: true,
      signingConfiguration: { hashAlgorithmOptions: { defaultValue: 'SHA384' } }
    })
    const profile = await stack.signer.send(
      new PutSigningProfileCommand({ profileName: 'images_two', platformId: NOTATION })
    )
    expect(profile.profileVersion).toMatch(/^[a-zA-Z0-9]{10}$/)
  })

  test('StartSigningJob on it is a ValidationException, as AWS refuses StartSigningJob for container images', async () => {
    const version = await putSource(stack.s3, stack.bucket, 'images/app.zip', lambdaZip('app'))
    const refused = await failure(
      stack.signer.send(
        new StartSigningJobCommand({
          profileName: 'images',
          source: { s3: { bucketName: stack.bucket, key: 'images/app.zip', version } },
          destination: { s3: { bucketName: stack.bucket, prefix: 'images/signed/' } }
        })
      )
    )
    expect(refused).toMatchObject({ name: 'ValidationException', status: 400 })
    expect(refused.message).toContain(`StartSigningJob not supported for platform ${NOTATION}`)
  })
})

describe('SignPayload', () => {
  const payload = Buffer.from(
    JSON.stringify({
      targetArtifact: {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: 'sha256:73c803930ea3ba1e54bc25c2bdc53edd0284c62ed651fe7b00369da519a3c333',
        size: 16724
      }
    })
  )

  test('answers a Notary JWS envelope signed by the profile, with the job and profile version in metadata', async () => {
    const signed = await stack.signer.send(
      new SignPayloadCommand({ profileName: 'images', payload, payloadFormat: NOTARY_PAYLOAD })
    )
    expect(signed.jobId).toMatch(/^[0-9a-f-]{36}$/)
    expect(signed.jobOwner).toBe(stack.accountId)
    const jobArn = `arn:aws:signer:${stack.region}:${stack.accountId}:/signing-jobs/${signed.jobId}`
    const envelope = JSON.parse(Buffer.from(signed.signature ?? []).toString()) as NotaryJws
    const { valid, header } = verifyNotaryJws(envelope)
    expect(valid).toBe(true)
    expect(Buffer.from(envelope.payload, 'base64url').equals(payload)).toBe(true)
    expect(header).toMatchObject({
      alg: 'ES384',
      cty: NOTARY_PAYLOAD,
      'io.cncf.notary.signingScheme': 'notary.x509.signingAuthority',
      'com.amazonaws.signer.signingJob': jobArn
    })
    expect(signed.metadata).toEqual({
      'com.amazonaws.signer.signingJob': jobArn,
      'com.amazonaws.signer.signingProfileVersion': header['com.amazonaws.signer.signingProfileVersion']
    })
    expect(signed.metadata?.['com.amazonaws.signer.signingProfileVersion']).toMatch(
      new RegExp(`:/signing-profiles/images/[a-zA-Z0-9]{10}$`)
    )
    // A tampered payload no longer verifies.
    const tampered = { ...envelope, payload: Buffer.from('{"targetArtifact":{}}').toString('base64url') }
    expect(verifyNotaryJws(tampered).valid).toBe(false)
  })

  test('is refused for a Lambda profile ("isn\'t supported for AWS Lambda workflows") and an IoT profile', async () => {
    await stack.signer.send(
      new PutSigningProfileCommand({ profileName: 'payload_lambda', platformId: 'AWSLambda-SHA384-ECDSA' })
    )
    await stack.signer.send(
      new PutSigningProfileCommand({
        profileName: 'payload_iot',
        platformId: 'AWSIoTDeviceManagement-SHA256-ECDSA',
        signingMaterial: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/iot' }
      })
    )
    for (const [profileName, platformId] of [
      ['payload_lambda', 'AWSLambda-SHA384-ECDSA'],
      ['payload_iot', 'AWSIoTDeviceManagement-SHA256-ECDSA']
    ]) {
      const refused = await failure(
        stack.signer.send(new SignPayloadCommand({ profileName, payload, payloadFormat: NOTARY_PAYLOAD }))
      )
      expect(refused).toMatchObject({ name: 'ValidationException', status: 400 })
      expect(refused.message).toContain(`SignPayload not supported for platform ${platformId}`)
    }
  })

  test('checks payloadFormat, the payload size, the profile and cross-account access', async () => {
    const call = (
      input: Partial<ConstructorParameters<typeof SignPayloadCommand>[0]>,
      client = stack.signer
    ) =>
      failure(
        client.send(
          new SignPayloadCommand({ profileName: 'images', payload, payloadFormat: NOTARY_PAYLOAD, ...input })
        )
      )
    expect(await call({ payloadFormat: 'application/json' })).toMatchObject({ name: 'ValidationException' })
    expect(await call({ payload: Buffer.alloc(4097, 1) })).toMatchObject({ name: 'ValidationException' })
    expect(await call({ profileName: 'no_such_profile' })).toMatchObject({
      name: 'ResourceNotFoundException'
    })
    expect(await call({ profileOwner: stack.accountId }, other)).toMatchObject({
      name: 'AccessDeniedException'
    })
    await stack.signer.send(
      new AddProfilePermissionCommand({
        profileName: 'images',
        action: 'signer:SignPayload',
        principal: OTHER_ACCOUNT,
        statementId: 'sign-payload'
      })
    )
    const shared = await other.send(
      new SignPayloadCommand({
        profileName: 'images',
        profileOwner: stack.accountId,
        payload,
        payloadFormat: NOTARY_PAYLOAD
      })
    )
    expect(shared.jobOwner).toBe(stack.accountId)
    await stack.signer.send(
      new PutSigningProfileCommand({ profileName: 'images_gone', platformId: NOTATION })
    )
    await stack.signer.send(new CancelSigningProfileCommand({ profileName: 'images_gone' }))
    expect(await call({ profileName: 'images_gone' })).toMatchObject({ name: 'ValidationException' })
  })
})
