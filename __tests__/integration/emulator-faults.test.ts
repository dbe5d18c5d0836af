/**
 * Every fault the emulator's admin API can inject, seen through @aws-sdk/client-signer as AWS would send it:
 * throttling (429 TooManyRequestsException), 500s, any named error, latency, failed and never-finishing
 * jobs, job duration; and the call log the faults are asserted with.
 */
import {
  DescribeSigningJobCommand,
  GetSigningPlatformCommand,
  GetSigningProfileCommand,
  InternalServiceErrorException,
  ListSigningPlatformsCommand,
  PutSigningProfileCommand,
  SignerClient,
  StartSigningJobCommand,
  TooManyRequestsException
} from '@aws-sdk/client-signer'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { lambdaZip, putSource, signerClientAs, waitForJob } from '../../emulator/testing'
import { LocalStack, startStack } from '../../scripts/stack'
import { failure } from '../support/signer-error'

let stack: LocalStack
/** No retries: each injected error reaches the test. */
let once: SignerClient

beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 50 })
  once = signerClientAs(stack.signerEndpoint, stack.region, 'AKIDFAULTS', { maxAttempts: 1 })
})

afterAll(async () => {
  once?.destroy()
  await stack?.stop()
})

afterEach(async () => {
  await stack.emulator.admin.clearFaults()
  await stack.emulator.admin.configure({ jobDurationMs: 50, latencyMs: 0 })
})

async function newProfile(name: string): Promise<void> {
  await stack.signer.send(
    new PutSigningProfileCommand({ profileName: name, platformId: 'AWSLambda-SHA384-ECDSA' })
  )
}

async function start(profileName: string, key: string) {
  const version = await putSource(stack.s3, stack.bucket, key, lambdaZip(`bytes of ${key}`))
  return stack.signer.send(
    new StartSigningJobCommand({
      profileName,
      source: { s3: { bucketName: stack.bucket, key, version } },
      destination: { s3: { bucketName: stack.bucket, prefix: 'faults/' } }
    })
  )
}

test('throttle: N calls answer 429 TooManyRequestsException, then the operation works again', async () => {
  await stack.emulator.admin.injectFault({ type: 'throttle', operation: 'GetSigningPlatform', count: 2 })
  const get = () => once.send(new GetSigningPlatformCommand({ platformId: 'AWSLambda-SHA384-ECDSA' }))
  for (let i = 0; i < 2; i++) {
    const error = await failure(get())
    expect(error).toBeInstanceOf(TooManyRequestsException)
    expect(error.name).toBe('TooManyRequestsException')
    expect(error.$metadata.httpStatusCode).toBe(429)
    expect(error.$metadata.attempts).toBe(1)
  }
  expect((await get()).platformId).toBe('AWSLambda-SHA384-ECDSA')
  // Only the operation named is throttled.
  await stack.emulator.admin.injectFault({ type: 'throttle', operation: 'GetSigningPlatform', count: 1 })
  expect((await once.send(new ListSigningPlatformsCommand({}))).platforms).toHaveLength(5)
  expect(await stack.emulator.admin.faults()).toHaveLength(1)
})

test("throttle: the SDK's standard retries ride out fewer throttles than attempts, and the retries are visible", async () => {
  const retrying = signerClientAs(stack.signerEndpoint, stack.region, 'AKIDRETRY', { maxAttempts: 3 })
  try {
    await stack.emulator.admin.clearCalls()
    await stack.emulator.admin.injectFault({ type: 'throttle', operation: 'ListSigningPlatforms', count: 2 })
    const listed = await retrying.send(new ListSigningPlatformsCommand({}))
    expect(listed.$metadata.attempts).toBe(3)
    const calls = await stack.emulator.admin.calls('ListSigningPlatforms')
    expect(calls.map(call => call.status)).toEqual([429, 429, 200])
    expect(calls[0].errorType).toBe('TooManyRequestsException')

    await stack.emulator.admin.injectFault({ type: 'throttle', operation: 'ListSigningPlatforms', count: 3 })
    const error = await failure(retrying.send(new ListSigningPlatformsCommand({})))
    expect(error.name).toBe('TooManyRequestsException')
    expect(error.$metadata.attempts).toBe(3)
  } finally {
    retrying.destroy()
  }
})

test('serverError: 500 InternalServiceErrorException, a server fault', async () => {
  await stack.emulator.admin.injectFault({
    type: 'serverError',
    operation: 'DescribeSigningJob',
    count: 1,
    message: 'boom'
  })
  const error = await failure(once.send(new DescribeSigningJobCommand({ jobId: 'any' })))
  expect(error).toBeInstanceOf(InternalServiceErrorException)
  expect(error.$metadata.httpStatusCode).toBe(500)
  expect(error.$fault).toBe('server')
  expect(error.message).toBe('boom')
  // The fault was used up: the next call reaches the operation (which does not know that job).
  expect((await failure(once.send(new DescribeSigningJobCommand({ jobId: 'any' })))).name).toBe(
    'ResourceNotFoundException'
  )
})

test('error: any named Signer error with its status, on every operation with *', async () => {
  await stack.emulator.admin.injectFault({
    type: 'error',
    operation: '*',
    errorType: 'AccessDeniedException',
    count: 2
  })
  const first = await failure(once.send(new ListSigningPlatformsCommand({})))
  expect(first.name).toBe('AccessDeniedException')
  expect(first.$metadata.httpStatusCode).toBe(403)
  const second = await failure(once.send(new GetSigningProfileCommand({ profileName: 'whatever' })))
  expect(second.name).toBe('AccessDeniedException')
  expect((await once.send(new ListSigningPlatformsCommand({}))).platforms).toHaveLength(5)

  await stack.emulator.admin.injectFault({
    type: 'error',
    operation: 'ListSigningPlatforms',
    errorType: 'ServiceLimitExceededException',
    count: 1
  })
  const limit = await failure(once.send(new ListSigningPlatformsCommand({})))
  expect(limit.name).toBe('ServiceLimitExceededException')
  expect(limit.$metadata.httpStatusCode).toBe(402)
})

test('latency: a fault delays one operation; configure({ latencyMs }) delays every call', async () => {
  await stack.emulator.admin.injectFault({
    type: 'latency',
    operation: 'GetSigningPlatform',
    ms: 300,
    count: 1
  })
  const timed = async (send: () => Promise<unknown>): Promise<number> => {
    const started = performance.now()
    await send()
    return performance.now() - started
  }
  const get = () => once.send(new GetSigningPlatformCommand({ platformId: 'AmazonFreeRTOS-Default' }))
  expect(await timed(get)).toBeGreaterThanOrEqual(290)
  expect(await timed(get)).toBeLessThan(200)

  await stack.emulator.admin.configure({ latencyMs: 150 })
  expect(await timed(() => once.send(new ListSigningPlatformsCommand({})))).toBeGreaterThanOrEqual(140)
  const calls = await stack.emulator.admin.calls('ListSigningPlatforms')
  expect(calls[calls.length - 1].durationMs).toBeGreaterThanOrEqual(140)
})

test('failJobs: the jobs of a profile end Failed with the statusReason and no signed object', async () => {
  await newProfile('faults_fail')
  await newProfile('faults_fail_other')
  await stack.emulator.admin.injectFault({
    type: 'failJobs',
    profileName: 'faults_fail',
    statusReason: 'Signing failed: the key is unavailable'
  })
  const failing = await start('faults_fail', 'fail/a.zip')
  const fine = await start('faults_fail_other', 'fail/b.zip')
  const job = await waitForJob(stack.signer, failing.jobId as string)
  expect(job.status).toBe('Failed')
  expect(job.statusReason).toBe('Signing failed: the key is unavailable')
  expect(job.completedAt).toBeInstanceOf(Date)
  expect(job.signedObject).toBeUndefined()
  expect(job.signatureExpiresAt).toBeUndefined()
  const missing = await stack.s3
    .send(new HeadObjectCommand({ Bucket: stack.bucket, Key: `faults/${failing.jobId}.zip` }))
    .then(
      () => 'found',
      () => 'absent'
    )
  expect(missing).toBe('absent')
  expect((await waitForJob(stack.signer, fine.jobId as string)).status).toBe('Succeeded')
})

test('hangJobs: jobs stay InProgress however long one waits', async () => {
  await newProfile('faults_hang')
  await newProfile('faults_hang_other')
  await stack.emulator.admin.injectFault({ type: 'hangJobs', profileName: 'faults_hang' })
  const hanging = await start('faults_hang', 'hang/a.zip')
  const other = await start('faults_hang_other', 'hang/b.zip')
  expect((await waitForJob(stack.signer, other.jobId as string)).status).toBe('Succeeded')
  await new Promise(resolve => setTimeout(resolve, 300))
  const job = await stack.signer.send(new DescribeSigningJobCommand({ jobId: hanging.jobId }))
  expect(job.status).toBe('InProgress')
  expect(job.completedAt).toBeUndefined()
  await expect(waitForJob(stack.signer, hanging.jobId as string, { timeoutMs: 200 })).rejects.toThrow(
    'still InProgress'
  )
})

test('configure({ jobDurationMs }) sets how long new jobs stay InProgress', async () => {
  await newProfile('faults_duration')
  await stack.emulator.admin.configure({ jobDurationMs: 600 })
  const started = await start('faults_duration', 'duration/a.zip')
  await new Promise(resolve => setTimeout(resolve, 300))
  expect((await stack.signer.send(new DescribeSigningJobCommand({ jobId: started.jobId }))).status).toBe(
    'InProgress'
  )
  const job = await waitForJob(stack.signer, started.jobId as string)
  expect(job.status).toBe('Succeeded')
  expect((job.completedAt as Date).getTime() - (job.createdAt as Date).getTime()).toBeGreaterThanOrEqual(590)
})

test('the call log records operation, parsed input, status, error name, caller account and time', async () => {
  await stack.emulator.admin.clearCalls()
  await newProfile('faults_calls')
  await failure(
    once.send(new GetSigningProfileCommand({ profileName: 'faults_missing', profileOwner: '123456789012' }))
  )
  const calls = await stack.emulator.admin.calls()
  expect(calls.map(call => call.operation)).toEqual(['PutSigningProfile', 'GetSigningProfile'])
  expect(calls[0]).toMatchObject({
    operation: 'PutSigningProfile',
    input: { profileName: 'faults_calls', platformId: 'AWSLambda-SHA384-ECDSA' },
    status: 200,
    accountId: stack.accountId
  })
  expect(calls[1]).toMatchObject({
    input: { profileName: 'faults_missing', profileOwner: '123456789012' },
    status: 404,
    errorType: 'ResourceNotFoundException'
  })
  expect(Date.parse(calls[1].time)).toBeGreaterThan(Date.now() - 60_000)
  expect(await stack.emulator.admin.calls('PutSigningProfile')).toHaveLength(1)
  await stack.emulator.admin.clearCalls()
  expect(await stack.emulator.admin.calls()).toEqual([])
})

test('the admin API rejects a malformed fault or setting with a message that says what is wrong', async () => {
  await expect(stack.emulator.admin.injectFault({ type: 'throttle' } as never)).rejects.toThrow(
    /needs operation/
  )
  await expect(stack.emulator.admin.injectFault({ type: 'nope' } as never)).rejects.toThrow(
    /type must be one of/
  )
  await expect(
    stack.emulator.admin.injectFault({
      type: 'error',
      operation: 'StartSigningJob',
      errorType: 'Nope' as never
    })
  ).rejects.toThrow(/errorType must be one of/)
  await expect(stack.emulator.admin.configure({ jobDurationMs: -1 })).rejects.toThrow(/jobDurationMs/)
  await expect(stack.emulator.admin.configure({ speed: 1 } as never)).rejects.toThrow(/Unknown setting speed/)
  expect(await stack.emulator.admin.faults()).toEqual([])
  const health = await stack.emulator.admin.health()
  expect(health).toMatchObject({ status: 'ok', url: stack.signerEndpoint, accountId: stack.accountId })
})

test('reset forgets profiles, jobs, faults and calls, and restores the starting settings', async () => {
  await newProfile('faults_reset')
  await stack.emulator.admin.injectFault({ type: 'throttle', operation: 'StartSigningJob' })
  await stack.emulator.admin.configure({ jobDurationMs: 999 })
  await stack.emulator.admin.reset()
  expect(await stack.emulator.admin.faults()).toEqual([])
  expect(await stack.emulator.admin.calls()).toEqual([])
  expect((await stack.emulator.admin.settings()).jobDurationMs).toBe(50)
  const error = await failure(once.send(new GetSigningProfileCommand({ profileName: 'faults_reset' })))
  expect(error.name).toBe('ResourceNotFoundException')
})

test('rate limits: a one-second burst per account and operation, then 429 TooManyRequestsException', async () => {
  const admin = stack.emulator.admin
  const other = signerClientAs(stack.signerEndpoint, stack.region, 'AKIDQUOTA', { maxAttempts: 1 })
  try {
    await admin.configure({
      identities: { AKIDQUOTA: { accountId: '444455556666' } },
      rateLimits: { GetSigningPlatform: 3 }
    })
    expect((await admin.settings()).rateLimits).toEqual({ GetSigningPlatform: 3 })
    await admin.clearCalls()
    const get = (client: SignerClient) =>
      client.send(new GetSigningPlatformCommand({ platformId: 'AWSLambda-SHA384-ECDSA' })).then(
        () => 200,
        (error: { $metadata?: { httpStatusCode?: number }; name?: string }) =>
          `${error.$metadata?.httpStatusCode} ${error.name}`
      )
    const statuses = await Promise.all(Array.from({ length: 5 }, () => get(once)))
    expect(statuses.filter(status => status === 200)).toHaveLength(3)
    expect(statuses.filter(status => status === '429 TooManyRequestsException')).toHaveLength(2)
    // Another account has its own quota; another operation is not limited.
    expect(await get(other)).toBe(200)
    const platforms = (await once.send(new ListSigningPlatformsCommand({}))).platforms ?? []
    expect(platforms.map(platform => platform.platformId)).toContain('AWSLambda-SHA384-ECDSA')
    const logged = await admin.calls('GetSigningPlatform')
    expect(
      logged.filter(call => call.status === 429 && call.errorType === 'TooManyRequestsException')
    ).toHaveLength(2)
    // The bucket refills at the rate: a second later, three more.
    await new Promise(resolve => setTimeout(resolve, 1000))
    expect(await Promise.all(Array.from({ length: 3 }, () => get(once)))).toEqual([200, 200, 200])
    await expect(admin.configure({ rateLimits: { GetSigningPlatfrom: 3 } as never })).rejects.toThrow(
      'unknown operation GetSigningPlatfrom'
    )
    await admin.configure({ rateLimits: {} })
    expect(await Promise.all(Array.from({ length: 6 }, () => get(once)))).toEqual(Array(6).fill(200))
  } finally {
    other.destroy()
    await admin.configure({ identities: {}, rateLimits: {} })
  }
})
