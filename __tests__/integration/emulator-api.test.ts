/**
 * The emulator's Signer API through @aws-sdk/client-signer: a round trip of every operation, the errors AWS
 * sends (named exception, status), validation, pagination, filters and cross-account access. Tests that
 * list act as their own emulated account, so other tests' profiles and jobs do not show up.
 */
import {
  AccessDeniedException,
  AddProfilePermissionCommand,
  CancelSigningProfileCommand,
  ConflictException,
  DescribeSigningJobCommand,
  GetSigningPlatformCommand,
  GetSigningProfileCommand,
  ListProfilePermissionsCommand,
  ListSigningJobsCommand,
  ListSigningJobsCommandInput,
  ListSigningPlatformsCommand,
  ListSigningProfilesCommand,
  ListSigningProfilesCommandInput,
  ListTagsForResourceCommand,
  PutSigningProfileCommand,
  RemoveProfilePermissionCommand,
  ResourceNotFoundException,
  RevokeSignatureCommand,
  RevokeSigningProfileCommand,
  SignerClient,
  SignerServiceException,
  StartSigningJobCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ValidationException,
  paginateListSigningJobs
} from '@aws-sdk/client-signer'
import { putSource, signerClientAs, waitForJob, lambdaZip } from '../../emulator/testing'
import { LocalStack, startStack } from '../../scripts/stack'
import { failure } from '../support/signer-error'

let stack: LocalStack
let nextAccount = 200000000001
const clients: SignerClient[] = []

beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 50 })
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await stack?.stop()
})

interface Account {
  signer: SignerClient
  accountId: string
  arn: string
}

/** A fresh emulated account: its own access key, mapped to its own account id. */
/** A new account; with `role`, its caller is a session of that role (as a workflow's OIDC role is). */
async function newAccount(role?: string): Promise<Account> {
  const accountId = String(nextAccount++)
  const accessKeyId = `AKID${accountId}`
  const arn = role
    ? `arn:aws:sts::${accountId}:assumed-role/${role}/run-1`
    : `arn:aws:iam::${accountId}:user/emulator`
  const { identities } = await stack.emulator.admin.settings()
  await stack.emulator.admin.configure({ identities: { ...identities, [accessKeyId]: { accountId, arn } } })
  const signer = signerClientAs(stack.signerEndpoint, stack.region, accessKeyId, { maxAttempts: 1 })
  clients.push(signer)
  return { signer, accountId, arn }
}

async function expectError(
  promise: Promise<unknown>,
  name: string,
  status: number
): Promise<SignerServiceException> {
  const error = await failure(promise)
  expect(error.name).toBe(name)
  expect(error.$metadata.httpStatusCode).toBe(status)
  expect(error.message.length).toBeGreaterThan(0)
  return error
}

async function profile(signer: SignerClient, name: string, platformId = 'AWSLambda-SHA384-ECDSA') {
  return signer.send(
    new PutSigningProfileCommand({
      profileName: name,
      platformId,
      ...(platformId === 'AWSLambda-SHA384-ECDSA'
        ? {}
        : { signingMaterial: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' } })
    })
  )
}

async function startJob(
  signer: SignerClient,
  profileName: string,
  key: string,
  extra: { profileOwner?: string } = {}
) {
  const version = await putSource(stack.s3, stack.bucket, key, lambdaZip(`payload of ${key}`))
  return signer.send(
    new StartSigningJobCommand({
      profileName,
      ...extra,
      source: { s3: { bucketName: stack.bucket, key, version } },
      destination: { s3: { bucketName: stack.bucket, prefix: 'signed/' } }
    })
  )
}

describe('signing profiles', () => {
  test('PutSigningProfile then GetSigningProfile: versions, ARNs, default validity of 135 months, tags', async () => {
    const put = await stack.signer.send(
      new PutSigningProfileCommand({
        profileName: 'api_put_get',
        platformId: 'AWSLambda-SHA384-ECDSA',
        tags: { team: 'release' }
      })
    )
    expect(put.profileVersion).toMatch(/^[a-zA-Z0-9]{10}$/)
    expect(put.arn).toBe(`arn:aws:signer:us-east-1:${stack.accountId}:/signing-profiles/api_put_get`)
    expect(put.profileVersionArn).toBe(`${put.arn}/${put.profileVersion}`)

    const got = await stack.signer.send(new GetSigningProfileCommand({ profileName: 'api_put_get' }))
    expect(got).toMatchObject({
      profileName: 'api_put_get',
      profileVersion: put.profileVersion,
      profileVersionArn: put.profileVersionArn,
      arn: put.arn,
      platformId: 'AWSLambda-SHA384-ECDSA',
      platformDisplayName: 'AWS Lambda',
      signatureValidityPeriod: { value: 135, type: 'MONTHS' },
      status: 'Active',
      tags: { team: 'release' }
    })
    expect(got.revocationRecord).toBeUndefined()
  })

  test('putting an Active profile again returns the same version; another platform is a ValidationException', async () => {
    const first = await profile(stack.signer, 'api_put_twice')
    const second = await profile(stack.signer, 'api_put_twice')
    expect(second.profileVersion).toBe(first.profileVersion)
    const error = await expectError(
      profile(stack.signer, 'api_put_twice', 'AmazonFreeRTOS-Default'),
      'ValidationException',
      400
    )
    expect(error).toBeInstanceOf(ValidationException)
    expect(error.message).toContain('already exists')
  })

  test('a custom validity period is kept; more than 135 months is rejected', async () => {
    await stack.signer.send(
      new PutSigningProfileCommand({
        profileName: 'api_validity',
        platformId: 'AWSLambda-SHA384-ECDSA',
        signatureValidityPeriod: { value: 30, type: 'DAYS' }
      })
    )
    const got = await stack.signer.send(new GetSigningProfileCommand({ profileName: 'api_validity' }))
    expect(got.signatureValidityPeriod).toEqual({ value: 30, type: 'DAYS' })
    await expectError(
      stack.signer.send(
        new PutSigningProfileCommand({
          profileName: 'api_validity_long',
          platformId: 'AWSLambda-SHA384-ECDSA',
          signatureValidityPeriod: { value: 12, type: 'YEARS' }
        })
      ),
      'ValidationException',
      400
    )
  })

  test.each([
    ['a', 'Member must have length greater than or equal to 2'],
    ['has-dash', 'regular expression pattern'],
    ['x'.repeat(65), 'less than or equal to 64']
  ])('profile name %p is a ValidationException (%s)', async (name, message) => {
    const error = await expectError(
      stack.signer.send(
        new PutSigningProfileCommand({ profileName: name, platformId: 'AWSLambda-SHA384-ECDSA' })
      ),
      'ValidationException',
      400
    )
    expect(error.message).toContain(`at 'profileName' failed to satisfy constraint`)
    expect(error.message).toContain(message)
  })

  test('an unknown platform, a missing certificate on IoT, and an override the platform forbids are ValidationExceptions', async () => {
    const unknown = await expectError(
      stack.signer.send(
        new PutSigningProfileCommand({ profileName: 'api_bad_platform', platformId: 'Nope' })
      ),
      'ValidationException',
      400
    )
    expect(unknown.message).toContain('AWSLambda-SHA384-ECDSA')
    const noCertificate = await expectError(
      stack.signer.send(
        new PutSigningProfileCommand({
          profileName: 'api_iot_nocert',
          platformId: 'AWSIoTDeviceManagement-SHA256-ECDSA'
        })
      ),
      'ValidationException',
      400
    )
    expect(noCertificate.message).toContain('signingMaterial.certificateArn')
    const override = await expectError(
      stack.signer.send(
        new PutSigningProfileCommand({
          profileName: 'api_bad_override',
          platformId: 'AWSLambda-SHA384-ECDSA',
          overrides: { signingConfiguration: { encryptionAlgorithm: 'RSA' } }
        })
      ),
      'ValidationException',
      400
    )
    expect(override.message).toContain('RSA is not allowed')
  })

  test('GetSigningProfile of an unknown profile is a ResourceNotFoundException', async () => {
    const error = await expectError(
      stack.signer.send(new GetSigningProfileCommand({ profileName: 'api_missing' })),
      'ResourceNotFoundException',
      404
    )
    expect(error).toBeInstanceOf(ResourceNotFoundException)
  })

  test('ListSigningProfiles: statuses, platformId, includeCanceled and pagination', async () => {
    const { signer } = await newAccount()
    await profile(signer, 'list_a')
    await profile(signer, 'list_b')
    await profile(signer, 'list_c', 'AmazonFreeRTOS-Default')
    const d = await profile(signer, 'list_d')
    await signer.send(new CancelSigningProfileCommand({ profileName: 'list_b' }))
    await signer.send(
      new RevokeSigningProfileCommand({
        profileName: 'list_d',
        profileVersion: d.profileVersion,
        reason: 'key compromise',
        effectiveTime: new Date()
      })
    )
    const names = async (input: ListSigningProfilesCommandInput) =>
      ((await signer.send(new ListSigningProfilesCommand(input))).profiles ?? []).map(p => p.profileName)

    expect(await names({})).toEqual(['list_a', 'list_c', 'list_d'])
    expect(await names({ includeCanceled: true })).toEqual(['list_a', 'list_b', 'list_c', 'list_d'])
    expect(await names({ statuses: ['Revoked'] })).toEqual(['list_d'])
    expect(await names({ statuses: ['Active', 'Canceled'] })).toEqual(['list_a', 'list_b', 'list_c'])
    expect(await names({ platformId: 'AmazonFreeRTOS-Default' })).toEqual(['list_c'])

    const first = await signer.send(new ListSigningProfilesCommand({ maxResults: 2, includeCanceled: true }))
    expect(first.profiles?.map(p => p.profileName)).toEqual(['list_a', 'list_b'])
    expect(first.nextToken).toBeDefined()
    const second = await signer.send(
      new ListSigningProfilesCommand({ maxResults: 2, includeCanceled: true, nextToken: first.nextToken })
    )
    expect(second.profiles?.map(p => p.profileName)).toEqual(['list_c', 'list_d'])
    expect(second.nextToken).toBeUndefined()
    // A token only continues the query it came from.
    await expectError(
      signer.send(new ListSigningProfilesCommand({ maxResults: 2, nextToken: first.nextToken })),
      'ValidationException',
      400
    )
    await expectError(
      signer.send(new ListSigningProfilesCommand({ maxResults: 26 })),
      'ValidationException',
      400
    )
  })

  test('CancelSigningProfile: status Canceled, no new jobs, the name cannot be reused', async () => {
    await profile(stack.signer, 'api_cancel')
    await stack.signer.send(new CancelSigningProfileCommand({ profileName: 'api_cancel' }))
    const got = await stack.signer.send(new GetSigningProfileCommand({ profileName: 'api_cancel' }))
    expect(got.status).toBe('Canceled')
    const start = await expectError(
      startJob(stack.signer, 'api_cancel', 'cancel.zip'),
      'ValidationException',
      400
    )
    expect(start.message).toContain('Canceled')
    await expectError(profile(stack.signer, 'api_cancel'), 'ValidationException', 400)
    await expectError(
      stack.signer.send(new CancelSigningProfileCommand({ profileName: 'api_cancel_missing' })),
      'ResourceNotFoundException',
      404
    )
  })

  test('RevokeSigningProfile: status Revoked with a revocation record; wrong version, bad reason, no new jobs', async () => {
    const put = await profile(stack.signer, 'api_revoke_profile')
    const effectiveTime = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000)
    await expectError(
      stack.signer.send(
        new RevokeSigningProfileCommand({
          profileName: 'api_revoke_profile',
          profileVersion: 'AAAAAAAAAA',
          reason: 'x',
          effectiveTime
        })
      ),
      'ResourceNotFoundException',
      404
    )
    for (const reason of ['', 'r'.repeat(501)])
      await expectError(
        stack.signer.send(
          new RevokeSigningProfileCommand({
            profileName: 'api_revoke_profile',
            profileVersion: put.profileVersion,
            reason,
            effectiveTime
          })
        ),
        'ValidationException',
        400
      )
    await expectError(
      stack.signer.send(
        new RevokeSigningProfileCommand({
          profileName: 'api_revoke_profile',
          profileVersion: 'short',
          reason: 'x',
          effectiveTime
        })
      ),
      'ValidationException',
      400
    )

    const before = Date.now()
    await stack.signer.send(
      new RevokeSigningProfileCommand({
        profileName: 'api_revoke_profile',
        profileVersion: put.profileVersion,
        reason: 'key compromise',
        effectiveTime
      })
    )
    const got = await stack.signer.send(new GetSigningProfileCommand({ profileName: 'api_revoke_profile' }))
    expect(got.status).toBe('Revoked')
    expect(got.revocationRecord?.revocationEffectiveFrom).toEqual(effectiveTime)
    expect(got.revocationRecord?.revokedBy).toBe(`arn:aws:iam::${stack.accountId}:user/emulator`)
    expect(got.revocationRecord?.revokedAt?.getTime()).toBeGreaterThanOrEqual(before - 1000)
    await expectError(startJob(stack.signer, 'api_revoke_profile', 'revoked.zip'), 'ValidationException', 400)
  })

  test('RevokeSigningProfile: the effective time must be in the past, and a repeat may move it earlier, never later', async () => {
    const put = await profile(stack.signer, 'api_revoke_times')
    const revoke = (effectiveTime: Date, reason = 'key compromise') =>
      stack.signer.send(
        new RevokeSigningProfileCommand({
          profileName: 'api_revoke_times',
          profileVersion: put.profileVersion,
          reason,
          effectiveTime
        })
      )
    const record = async () =>
      await stack.signer.send(new GetSigningProfileCommand({ profileName: 'api_revoke_times' }))
    const hour = 3_600_000
    const base = Math.floor(Date.now() / 1000) * 1000

    const future = await expectError(revoke(new Date(base + hour)), 'ValidationException', 400)
    expect(future.message).toMatch(
      /in the future: revocation of a signing profile requires an effective start time in the past/
    )
    expect((await record()).status).toBe('Active')

    await revoke(new Date(base - 2 * hour))
    // Later than recorded: refused, the record unchanged.
    const later = await expectError(revoke(new Date(base - hour)), 'ValidationException', 400)
    expect(later.message).toContain(`is revoked effective from ${new Date(base - 2 * hour).toISOString()}`)
    expect((await record()).revocationRecord?.revocationEffectiveFrom).toEqual(new Date(base - 2 * hour))
    // The same time again: accepted, nothing changes.
    await revoke(new Date(base - 2 * hour), 'same again')
    expect((await record()).statusReason).toBe('key compromise')
    // Earlier: accepted, the record moves to it.
    await revoke(new Date(base - 3 * hour), 'compromise began sooner')
    const moved = await record()
    expect(moved.status).toBe('Revoked')
    expect(moved.revocationRecord?.revocationEffectiveFrom).toEqual(new Date(base - 3 * hour))
    expect(moved.statusReason).toBe('compromise began sooner')
    // Still never in the future, even for a revoked version.
    await expectError(revoke(new Date(base + hour)), 'ValidationException', 400)
  })
})

describe('signing platforms', () => {
  test('ListSigningPlatforms lists the five platforms with their real settings, filters and pages', async () => {
    const all = await stack.signer.send(new ListSigningPlatformsCommand({}))
    expect(all.platforms?.map(p => p.platformId).sort()).toEqual([
      'AWSIoTDeviceManagement-SHA256-ECDSA',
      'AWSLambda-SHA384-ECDSA',
      'AmazonFreeRTOS-Default',
      'AmazonFreeRTOS-TI-CC3220SF',
      'Notation-OCI-SHA384-ECDSA'
    ])
    const sizes = Object.fromEntries((all.platforms ?? []).map(p => [p.platformId, p.maxSizeInMB]))
    expect(sizes).toEqual({
      'AWSIoTDeviceManagement-SHA256-ECDSA': 2048,
      'AWSLambda-SHA384-ECDSA': 250,
      'AmazonFreeRTOS-Default': 16,
      'AmazonFreeRTOS-TI-CC3220SF': 16,
      // AWS publishes no size limit for the container platform: none is invented.
      'Notation-OCI-SHA384-ECDSA': undefined
    })
    const freeRtos = await stack.signer.send(new ListSigningPlatformsCommand({ partner: 'AmazonFreeRTOS' }))
    expect(freeRtos.platforms?.map(p => p.platformId).sort()).toEqual([
      'AmazonFreeRTOS-Default',
      'AmazonFreeRTOS-TI-CC3220SF'
    ])
    const page = await stack.signer.send(new ListSigningPlatformsCommand({ maxResults: 3 }))
    expect(page.platforms).toHaveLength(3)
    const rest = await stack.signer.send(
      new ListSigningPlatformsCommand({ maxResults: 3, nextToken: page.nextToken })
    )
    expect(rest.platforms).toHaveLength(2)
    expect(rest.nextToken).toBeUndefined()
  })

  test('GetSigningPlatform returns one platform; an unknown one is a ResourceNotFoundException', async () => {
    const lambda = await stack.signer.send(
      new GetSigningPlatformCommand({ platformId: 'AWSLambda-SHA384-ECDSA' })
    )
    expect(lambda).toMatchObject({
      displayName: 'AWS Lambda',
      partner: 'AWSLambda',
      target: 'SHA384-ECDSA',
      category: 'AWS',
      maxSizeInMB: 250,
      revocationSupported: true,
      signingConfiguration: {
        encryptionAlgorithmOptions: { allowedValues: ['ECDSA'], defaultValue: 'ECDSA' },
        hashAlgorithmOptions: { allowedValues: ['SHA384'], defaultValue: 'SHA384' }
      },
      signingImageFormat: { supportedFormats: ['JSONDetached'], defaultFormat: 'JSONDetached' }
    })
    const ti = await stack.signer.send(
      new GetSigningPlatformCommand({ platformId: 'AmazonFreeRTOS-TI-CC3220SF' })
    )
    expect(ti.signingConfiguration?.encryptionAlgorithmOptions?.defaultValue).toBe('RSA')
    expect(ti.revocationSupported).toBe(false)
    await expectError(
      stack.signer.send(new GetSigningPlatformCommand({ platformId: 'Nope' })),
      'ResourceNotFoundException',
      404
    )
  })
})

describe('signing jobs', () => {
  test('StartSigningJob runs asynchronously to Succeeded with the fields AWS reports', async () => {
    // Long enough to see the job InProgress on a busy machine.
    await stack.emulator.admin.configure({ jobDurationMs: 400 })
    await profile(stack.signer, 'api_job')
    const version = await putSource(stack.s3, stack.bucket, 'job/app.zip', lambdaZip('app'))
    const started = await stack.signer.send(
      new StartSigningJobCommand({
        profileName: 'api_job',
        source: { s3: { bucketName: stack.bucket, key: 'job/app.zip', version } },
        destination: { s3: { bucketName: stack.bucket, prefix: 'signed/job/' } }
      })
    )
    expect(started.jobOwner).toBe(stack.accountId)
    const early = await stack.signer.send(new DescribeSigningJobCommand({ jobId: started.jobId }))
    expect(early.status).toBe('InProgress')
    expect(early.signedObject).toBeUndefined()
    expect(early.signatureExpiresAt).toBeUndefined()

    await stack.emulator.admin.configure({ jobDurationMs: 50 })
    const job = await waitForJob(stack.signer, started.jobId as string)
    expect(job).toMatchObject({
      jobId: started.jobId,
      status: 'Succeeded',
      statusReason: 'Signing Succeeded',
      profileName: 'api_job',
      platformId: 'AWSLambda-SHA384-ECDSA',
      platformDisplayName: 'AWS Lambda',
      source: { s3: { bucketName: stack.bucket, key: 'job/app.zip', version } },
      signedObject: { s3: { bucketName: stack.bucket, key: `signed/job/${started.jobId}.zip` } },
      jobOwner: stack.accountId,
      jobInvoker: stack.accountId,
      requestedBy: `arn:aws:iam::${stack.accountId}:user/emulator`
    })
    const created = job.createdAt as Date
    const expected = new Date(created)
    expected.setUTCMonth(expected.getUTCMonth() + 135)
    expect(job.signatureExpiresAt?.toISOString().slice(0, 10)).toBe(expected.toISOString().slice(0, 10))
    expect((job.completedAt as Date).getTime()).toBeGreaterThanOrEqual(created.getTime() + 390)
  })

  test('StartSigningJob is idempotent on clientRequestToken', async () => {
    const { signer } = await newAccount()
    await profile(signer, 'idem')
    const version = await putSource(stack.s3, stack.bucket, 'idem.zip', lambdaZip('once'))
    const input = {
      profileName: 'idem',
      clientRequestToken: 'token-1',
      source: { s3: { bucketName: stack.bucket, key: 'idem.zip', version } },
      destination: { s3: { bucketName: stack.bucket, prefix: 'idem/' } }
    }
    const [first, second] = await Promise.all([
      signer.send(new StartSigningJobCommand(input)),
      signer.send(new StartSigningJobCommand(input))
    ])
    const third = await signer.send(new StartSigningJobCommand(input))
    expect(second.jobId).toBe(first.jobId)
    expect(third.jobId).toBe(first.jobId)
    const other = await signer.send(new StartSigningJobCommand({ ...input, clientRequestToken: 'token-2' }))
    expect(other.jobId).not.toBe(first.jobId)
    const listed = await signer.send(new ListSigningJobsCommand({}))
    expect(listed.jobs?.map(j => j.jobId).sort()).toEqual([first.jobId, other.jobId].sort())
  })

  test('a source version that does not exist, or an unknown profile, is refused', async () => {
    await profile(stack.signer, 'api_nosource')
    const version = await putSource(stack.s3, stack.bucket, 'exists.zip', lambdaZip('x'))
    const send = (key: string, v: string, profileName = 'api_nosource') =>
      stack.signer.send(
        new StartSigningJobCommand({
          profileName,
          source: { s3: { bucketName: stack.bucket, key, version: v } },
          destination: { s3: { bucketName: stack.bucket } }
        })
      )
    const missingKey = await expectError(send('missing.zip', version), 'ValidationException', 400)
    expect(missingKey.message).toContain('missing.zip')
    await expectError(send('exists.zip', 'not-a-real-version'), 'ValidationException', 400)
    await expectError(send('exists.zip', version, 'api_no_such_profile'), 'ResourceNotFoundException', 404)
    const missingField = await expectError(
      stack.signer.send(
        new StartSigningJobCommand({
          profileName: 'api_nosource',
          source: { s3: { bucketName: stack.bucket, key: 'exists.zip' } } as never,
          destination: { s3: { bucketName: stack.bucket } }
        })
      ),
      'ValidationException',
      400
    )
    expect(missingField.message).toContain(`'source.s3.version'`)
  })

  test('DescribeSigningJob of an unknown job is a ResourceNotFoundException', async () => {
    await expectError(
      stack.signer.send(new DescribeSigningJobCommand({ jobId: 'no-such-job' })),
      'ResourceNotFoundException',
      404
    )
  })

  test('ListSigningJobs: every filter, newest first, and pagination', async () => {
    const owner = await newAccount()
    const invoker = await newAccount()
    await profile(owner.signer, 'filters')
    await profile(owner.signer, 'filters_iot', 'AWSIoTDeviceManagement-SHA256-ECDSA')
    await owner.signer.send(
      new AddProfilePermissionCommand({
        profileName: 'filters',
        action: 'signer:StartSigningJob',
        principal: invoker.accountId,
        statementId: 'invoker'
      })
    )
    await stack.emulator.admin.injectFault({
      type: 'failJobs',
      profileName: 'filters',
      count: 1,
      statusReason: 'no'
    })
    const failed = await startJob(owner.signer, 'filters', 'filters/1.zip')
    const a = await startJob(owner.signer, 'filters', 'filters/2.zip')
    const iot = await startJob(owner.signer, 'filters_iot', 'filters/3.bin')
    const crossAccount = await startJob(invoker.signer, 'filters', 'filters/4.zip', {
      profileOwner: owner.accountId
    })
    for (const { jobId } of [failed, a, iot]) await waitForJob(owner.signer, jobId as string)
    await waitForJob(invoker.signer, crossAccount.jobId as string)
    await owner.signer.send(new RevokeSignatureCommand({ jobId: a.jobId, reason: 'bad build' }))

    const ids = async (input: ListSigningJobsCommandInput) =>
      ((await owner.signer.send(new ListSigningJobsCommand(input))).jobs ?? []).map(j => j.jobId)

    expect(await ids({})).toEqual([crossAccount.jobId, iot.jobId, a.jobId, failed.jobId])
    expect(await ids({ status: 'Failed' })).toEqual([failed.jobId])
    expect(await ids({ status: 'Succeeded', platformId: 'AWSIoTDeviceManagement-SHA256-ECDSA' })).toEqual([
      iot.jobId
    ])
    expect(await ids({ requestedBy: invoker.arn })).toEqual([crossAccount.jobId])
    expect(await ids({ jobInvoker: invoker.accountId })).toEqual([crossAccount.jobId])
    expect(await ids({ isRevoked: true })).toEqual([a.jobId])
    expect(await ids({ isRevoked: false })).toEqual([crossAccount.jobId, iot.jobId, failed.jobId])
    const in2030 = new Date('2030-01-01T00:00:00Z')
    // Signature validity applies to the Lambda and Notation platforms only: the IoT job has no expiry.
    expect(await ids({ signatureExpiresAfter: in2030 })).toEqual([crossAccount.jobId, a.jobId])
    expect(await ids({ signatureExpiresBefore: in2030 })).toEqual([])
    const revoked = (await owner.signer.send(new ListSigningJobsCommand({ isRevoked: true }))).jobs?.[0]
    expect(revoked?.isRevoked).toBe(true)
    expect(revoked?.signedObject?.s3?.key).toBe(`signed/${a.jobId}.zip`)

    const paged: string[] = []
    let pages = 0
    for await (const page of paginateListSigningJobs({ client: owner.signer, pageSize: 1 }, {})) {
      pages++
      paged.push(...(page.jobs ?? []).map(j => j.jobId as string))
    }
    expect(pages).toBe(4)
    expect(paged).toEqual([crossAccount.jobId, iot.jobId, a.jobId, failed.jobId])
    // The invoking account sees the job it started, not the owner's others.
    expect(
      ((await invoker.signer.send(new ListSigningJobsCommand({}))).jobs ?? []).map(j => j.jobId)
    ).toEqual([crossAccount.jobId])
    await expectError(
      owner.signer.send(new ListSigningJobsCommand({ nextToken: 'garbage' })),
      'ValidationException',
      400
    )
    await expectError(
      owner.signer.send(new ListSigningJobsCommand({ maxResults: 0 })),
      'ValidationException',
      400
    )
    await expectError(
      owner.signer.send(new ListSigningJobsCommand({ status: 'Done' as never })),
      'ValidationException',
      400
    )
  })

  test('RevokeSignature: record on the job; only Succeeded jobs; jobOwner must match; IoT does not support it', async () => {
    const { signer, accountId, arn } = await newAccount()
    await profile(signer, 'revoke_sig')
    await profile(signer, 'revoke_iot', 'AWSIoTDeviceManagement-SHA256-ECDSA')
    await stack.emulator.admin.injectFault({ type: 'hangJobs', profileName: 'revoke_sig', count: 1 })
    const hanging = await startJob(signer, 'revoke_sig', 'revoke/hang.zip')
    const done = await startJob(signer, 'revoke_sig', 'revoke/done.zip')
    const iot = await startJob(signer, 'revoke_iot', 'revoke/iot.bin')
    await stack.emulator.admin.injectFault({ type: 'failJobs', profileName: 'revoke_sig', count: 1 })
    const failed = await startJob(signer, 'revoke_sig', 'revoke/failed.zip')
    await waitForJob(signer, done.jobId as string)
    await waitForJob(signer, iot.jobId as string)
    await waitForJob(signer, failed.jobId as string)

    const notDone = await expectError(
      signer.send(new RevokeSignatureCommand({ jobId: hanging.jobId, reason: 'x' })),
      'ValidationException',
      400
    )
    expect(notDone.message).toContain('InProgress')
    const notSigned = await expectError(
      signer.send(new RevokeSignatureCommand({ jobId: failed.jobId, reason: 'x' })),
      'ValidationException',
      400
    )
    expect(notSigned.message).toContain('is Failed: only the signature of a Succeeded job can be revoked')
    const unsupported = await expectError(
      signer.send(new RevokeSignatureCommand({ jobId: iot.jobId, reason: 'x' })),
      'ValidationException',
      400
    )
    expect(unsupported.message).toBe(
      'Revocation is not supported for signing platform AWSIoTDeviceManagement-SHA256-ECDSA.'
    )
    await expectError(
      signer.send(new RevokeSignatureCommand({ jobId: done.jobId, reason: 'x', jobOwner: '999999999999' })),
      'ResourceNotFoundException',
      404
    )
    await expectError(
      signer.send(new RevokeSignatureCommand({ jobId: done.jobId, reason: '' })),
      'ValidationException',
      400
    )
    await expectError(
      signer.send(new RevokeSignatureCommand({ jobId: 'nope', reason: 'x' })),
      'ResourceNotFoundException',
      404
    )

    await signer.send(
      new RevokeSignatureCommand({ jobId: done.jobId, reason: 'leaked build', jobOwner: accountId })
    )
    const job = await signer.send(new DescribeSigningJobCommand({ jobId: done.jobId }))
    expect(job.revocationRecord).toMatchObject({ reason: 'leaked build', revokedBy: arn })
    expect(job.revocationRecord?.revokedAt).toBeInstanceOf(Date)
    // Revoking again is accepted and keeps the first record.
    await signer.send(new RevokeSignatureCommand({ jobId: done.jobId, reason: 'again' }))
    const again = await signer.send(new DescribeSigningJobCommand({ jobId: done.jobId }))
    expect(again.revocationRecord?.reason).toBe('leaked build')
  })
})

describe('profile permissions and cross-account use', () => {
  test('Add / List / Remove with revisionId; a stale revision is a ConflictException', async () => {
    const { signer } = await newAccount()
    await profile(signer, 'perms')
    // No statement, no policy: AWS answers the listing with ResourceNotFoundException.
    await expectError(
      signer.send(new ListProfilePermissionsCommand({ profileName: 'perms' })),
      'ResourceNotFoundException',
      404
    )

    const first = await signer.send(
      new AddProfilePermissionCommand({
        profileName: 'perms',
        action: 'signer:StartSigningJob',
        principal: '111122223333',
        statementId: 'ci'
      })
    )
    expect(first.revisionId).toBeDefined()
    const second = await signer.send(
      new AddProfilePermissionCommand({
        profileName: 'perms',
        action: 'signer:GetSigningProfile',
        principal: '111122223333',
        statementId: 'read',
        revisionId: first.revisionId
      })
    )
    expect(second.revisionId).not.toBe(first.revisionId)
    const listed = await signer.send(new ListProfilePermissionsCommand({ profileName: 'perms' }))
    expect(listed.revisionId).toBe(second.revisionId)
    expect(listed.policySizeBytes).toBeGreaterThan(50)
    expect(listed.permissions).toEqual([
      { action: 'signer:StartSigningJob', principal: '111122223333', statementId: 'ci' },
      { action: 'signer:GetSigningProfile', principal: '111122223333', statementId: 'read' }
    ])

    const stale = await expectError(
      signer.send(
        new AddProfilePermissionCommand({
          profileName: 'perms',
          action: 'signer:RevokeSignature',
          principal: '111122223333',
          statementId: 'revoke',
          revisionId: first.revisionId
        })
      ),
      'ConflictException',
      409
    )
    expect(stale).toBeInstanceOf(ConflictException)
    await expectError(
      signer.send(
        new AddProfilePermissionCommand({
          profileName: 'perms',
          action: 'signer:StartSigningJob',
          principal: '444455556666',
          statementId: 'ci',
          revisionId: second.revisionId
        })
      ),
      'ConflictException',
      409
    )
    await expectError(
      signer.send(
        new RemoveProfilePermissionCommand({
          profileName: 'perms',
          statementId: 'ci',
          revisionId: first.revisionId
        })
      ),
      'ConflictException',
      409
    )
    await expectError(
      signer.send(
        new AddProfilePermissionCommand({
          profileName: 'perms',
          action: 's3:GetObject',
          principal: '1',
          statementId: 'x'
        })
      ),
      'ValidationException',
      400
    )
    await expectError(
      signer.send(
        new RemoveProfilePermissionCommand({
          profileName: 'perms',
          statementId: 'nope',
          revisionId: second.revisionId
        })
      ),
      'ResourceNotFoundException',
      404
    )
    const removed = await signer.send(
      new RemoveProfilePermissionCommand({
        profileName: 'perms',
        statementId: 'ci',
        revisionId: second.revisionId
      })
    )
    expect(removed.revisionId).not.toBe(second.revisionId)
    const after = await signer.send(new ListProfilePermissionsCommand({ profileName: 'perms' }))
    expect(after.permissions?.map(p => p.statementId)).toEqual(['read'])
    await expectError(
      signer.send(new ListProfilePermissionsCommand({ profileName: 'perms_missing' })),
      'ResourceNotFoundException',
      404
    )
  })

  test('another account reaches a profile through profileOwner only with a permission', async () => {
    const owner = await newAccount()
    const other = await newAccount('deploy')
    await profile(owner.signer, 'shared')
    await expectError(
      other.signer.send(new GetSigningProfileCommand({ profileName: 'shared' })),
      'ResourceNotFoundException',
      404
    )
    const denied = await expectError(
      other.signer.send(
        new GetSigningProfileCommand({ profileName: 'shared', profileOwner: owner.accountId })
      ),
      'AccessDeniedException',
      403
    )
    expect(denied).toBeInstanceOf(AccessDeniedException)
    await expectError(
      other.signer.send(
        new GetSigningProfileCommand({ profileName: 'unknown', profileOwner: owner.accountId })
      ),
      'ResourceNotFoundException',
      404
    )
    await expectError(
      startJob(other.signer, 'shared', 'shared/denied.zip', { profileOwner: owner.accountId }),
      'AccessDeniedException',
      403
    )

    const granted = await owner.signer.send(
      new AddProfilePermissionCommand({
        profileName: 'shared',
        action: 'signer:GetSigningProfile',
        principal: other.accountId,
        statementId: 'read'
      })
    )
    await owner.signer.send(
      new AddProfilePermissionCommand({
        profileName: 'shared',
        action: 'signer:StartSigningJob',
        // The role the other account's caller is a session of: the form AWS takes (not the session ARN).
        principal: `arn:aws:iam::${other.accountId}:role/deploy`,
        statementId: 'sign',
        revisionId: granted.revisionId
      })
    )
    const seen = await other.signer.send(
      new GetSigningProfileCommand({ profileName: 'shared', profileOwner: owner.accountId })
    )
    expect(seen.status).toBe('Active')
    const started = await startJob(other.signer, 'shared', 'shared/ok.zip', { profileOwner: owner.accountId })
    expect(started.jobOwner).toBe(owner.accountId)
    const job = await waitForJob(other.signer, started.jobId as string)
    expect(job).toMatchObject({
      status: 'Succeeded',
      jobOwner: owner.accountId,
      jobInvoker: other.accountId,
      requestedBy: other.arn
    })
    // Revoking another account's signature needs signer:RevokeSignature.
    await expectError(
      other.signer.send(new RevokeSignatureCommand({ jobId: started.jobId, reason: 'x' })),
      'AccessDeniedException',
      403
    )
    await owner.signer.send(new RevokeSignatureCommand({ jobId: started.jobId, reason: 'owner revokes' }))
  })
})

describe('tags', () => {
  test('TagResource / ListTagsForResource / UntagResource on a profile ARN', async () => {
    const put = await profile(stack.signer, 'api_tags')
    const arn = put.arn as string
    await stack.signer.send(
      new TagResourceCommand({ resourceArn: arn, tags: { env: 'prod', owner: 'team-a' } })
    )
    expect((await stack.signer.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({
      env: 'prod',
      owner: 'team-a'
    })
    await stack.signer.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['env'] }))
    expect((await stack.signer.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({
      owner: 'team-a'
    })
    const versioned = await stack.signer.send(
      new ListTagsForResourceCommand({ resourceArn: put.profileVersionArn })
    )
    expect(versioned.tags).toEqual({ owner: 'team-a' })
    expect((await stack.signer.send(new GetSigningProfileCommand({ profileName: 'api_tags' }))).tags).toEqual(
      { owner: 'team-a' }
    )

    await expectError(
      stack.signer.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:s3:::bucket' })),
      'BadRequestException',
      400
    )
    await expectError(
      stack.signer.send(new ListTagsForResourceCommand({ resourceArn: `${arn}_missing` })),
      'NotFoundException',
      404
    )
    await expectError(
      stack.signer.send(new TagResourceCommand({ resourceArn: arn, tags: { 'aws:reserved': 'x' } })),
      'BadRequestException',
      400
    )
  })
})

describe('the wire', () => {
  test('a malformed JSON body is a 400 SerializationException, and the server keeps answering', async () => {
    const response = await fetch(`${stack.signerEndpoint}/signing-profiles/wire_bad`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"platformId": '
    })
    expect(response.status).toBe(400)
    expect(response.headers.get('x-amzn-errortype')).toBe('SerializationException')
    expect(((await response.json()) as { message: string }).message).toContain('not valid JSON')
    const array = await fetch(`${stack.signerEndpoint}/signing-jobs`, { method: 'POST', body: '[1]' })
    expect(array.status).toBe(400)
    expect((await stack.signer.send(new ListSigningPlatformsCommand({}))).platforms).toHaveLength(5)
  })

  test('an unknown route is a 404 UnknownOperationException naming it', async () => {
    const response = await fetch(`${stack.signerEndpoint}/no/such/route`, { method: 'PATCH' })
    expect(response.status).toBe(404)
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException')
    expect(((await response.json()) as { message: string }).message).toContain('PATCH /no/such/route')
  })

  test('responses carry timestamps as epoch seconds and a request id', async () => {
    await profile(stack.signer, 'wire_time')
    const version = await putSource(stack.s3, stack.bucket, 'wire/time.zip', lambdaZip('x'))
    const started = await stack.signer.send(
      new StartSigningJobCommand({
        profileName: 'wire_time',
        source: { s3: { bucketName: stack.bucket, key: 'wire/time.zip', version } },
        destination: { s3: { bucketName: stack.bucket } }
      })
    )
    const response = await fetch(`${stack.signerEndpoint}/signing-jobs/${started.jobId}`)
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/)
    const body = (await response.json()) as { createdAt: unknown }
    expect(typeof body.createdAt).toBe('number')
    expect(Math.abs((body.createdAt as number) - Date.now() / 1000)).toBeLessThan(60)
  })
})
