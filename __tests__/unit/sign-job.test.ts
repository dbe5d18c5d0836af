import {
  DescribeSigningJobCommand,
  ResourceNotFoundException,
  SignerClient,
  StartSigningJobCommand
} from '@aws-sdk/client-signer'
import { mockClient } from 'aws-sdk-client-mock'
import { JobFailedError, WaitTimeoutError } from '../../src/errors'
import {
  WAIT_MAX_DELAY_SECONDS,
  WAIT_MIN_DELAY_SECONDS,
  describeSigningJob,
  startSigningJob,
  waitForSigningJob,
  waiterDelays
} from '../../src/sign/job'

const signerMock = mockClient(SignerClient)
const signer = new SignerClient({ region: 'us-east-1' })
const SOURCE = { bucket: 'artifacts', key: 'unsigned/abc/app.zip', versionId: 'v1', reused: false }
const EXPIRES = new Date('2038-02-23T16:00:00Z')
const SUCCEEDED = {
  jobId: 'job-1',
  jobOwner: '123456789012',
  status: 'Succeeded' as const,
  signatureExpiresAt: EXPIRES,
  signedObject: { s3: { bucketName: 'artifacts', key: 'signed/job-1.zip' } }
}

beforeEach(() => signerMock.reset())
afterEach(() => jest.useRealTimers())

describe('startSigningJob', () => {
  it('sends the exact source version, destination, profile, owner and token', async () => {
    signerMock.on(StartSigningJobCommand).resolves({ jobId: 'job-1', jobOwner: '111122223333' })
    const job = await startSigningJob(signer, {
      source: SOURCE,
      destinationBucket: 'signed-bucket',
      destinationPrefix: 'signed/',
      profileName: 'release_signing',
      profileOwner: '111122223333',
      clientRequestToken: '5d53bbeb-bd3b-86cd-99a0-3c24ba652b12'
    })
    expect(job).toEqual({ jobId: 'job-1', jobOwner: '111122223333', status: 'InProgress' })
    expect(signerMock.commandCalls(StartSigningJobCommand)[0].args[0].input).toEqual({
      source: { s3: { bucketName: 'artifacts', key: 'unsigned/abc/app.zip', version: 'v1' } },
      destination: { s3: { bucketName: 'signed-bucket', prefix: 'signed/' } },
      profileName: 'release_signing',
      profileOwner: '111122223333',
      clientRequestToken: '5d53bbeb-bd3b-86cd-99a0-3c24ba652b12'
    })
  })

  it('fails when Signer returns no job id', async () => {
    signerMock.on(StartSigningJobCommand).resolves({})
    await expect(
      startSigningJob(signer, {
        source: SOURCE,
        destinationBucket: 'b',
        destinationPrefix: '',
        profileName: 'p1',
        clientRequestToken: 't'
      })
    ).rejects.toThrow('StartSigningJob returned no jobId')
  })
})

describe('describeSigningJob', () => {
  it('maps the response to a job state', async () => {
    signerMock.on(DescribeSigningJobCommand, { jobId: 'job-1' }).resolves(SUCCEEDED)
    expect(await describeSigningJob(signer, 'job-1')).toEqual({
      jobId: 'job-1',
      jobOwner: '123456789012',
      status: 'Succeeded',
      statusReason: undefined,
      signatureExpiresAt: EXPIRES,
      signedObject: { bucket: 'artifacts', key: 'signed/job-1.zip' }
    })
  })
})

describe('waiterDelays', () => {
  it('polls after 1 s and backs off to 3 s, not the SDK default of 20 s', () => {
    expect(WAIT_MIN_DELAY_SECONDS).toBe(1)
    expect(WAIT_MAX_DELAY_SECONDS).toBe(3)
    expect(waiterDelays(600)).toEqual({ minDelay: 1, maxDelay: 3 })
  })

  it('stays valid for the waiter (maxWaitTime > minDelay) with the shortest timeouts', () => {
    expect(waiterDelays(1)).toEqual({ minDelay: 0.5, maxDelay: 0.5 })
    expect(waiterDelays(4)).toEqual({ minDelay: 1, maxDelay: 2 })
  })
})

describe('waitForSigningJob', () => {
  it('returns as soon as the first poll says Succeeded', async () => {
    signerMock.on(DescribeSigningJobCommand).resolves(SUCCEEDED)
    const state = await waitForSigningJob(signer, 'job-1', 600)
    expect(state).toMatchObject({ status: 'Succeeded', signatureExpiresAt: EXPIRES })
    expect(signerMock).toHaveReceivedCommandTimes(DescribeSigningJobCommand, 1)
  })

  it('notices completion within about a second: polls at 0 s, 1 s, then 1-2 s later', async () => {
    jest.useFakeTimers()
    const start = Date.now()
    const pollTimes: number[] = []
    signerMock.on(DescribeSigningJobCommand).callsFake(() => {
      pollTimes.push(Date.now() - start)
      return pollTimes.length < 3 ? { jobId: 'job-1', status: 'InProgress' } : SUCCEEDED
    })
    const waiting = waitForSigningJob(signer, 'job-1', 600)
    await jest.advanceTimersByTimeAsync(5000)
    expect((await waiting).status).toBe('Succeeded')
    expect(pollTimes).toHaveLength(3)
    expect(pollTimes[0]).toBe(0)
    expect(pollTimes[1]).toBe(1000)
    expect(pollTimes[2] - pollTimes[1]).toBeGreaterThanOrEqual(1000)
    expect(pollTimes[2] - pollTimes[1]).toBeLessThanOrEqual(2000)
  })

  it('never waits more than 3 s between polls of a long job', async () => {
    jest.useFakeTimers()
    const pollTimes: number[] = []
    signerMock.on(DescribeSigningJobCommand).callsFake(() => {
      pollTimes.push(Date.now())
      return pollTimes.length < 12 ? { jobId: 'job-1', status: 'InProgress' } : SUCCEEDED
    })
    const waiting = waitForSigningJob(signer, 'job-1', 600)
    await jest.advanceTimersByTimeAsync(60_000)
    await waiting
    const gaps = pollTimes.slice(1).map((time, i) => time - pollTimes[i])
    expect(Math.max(...gaps)).toBeLessThanOrEqual(3000)
    expect(gaps.slice(3).every(gap => gap === 3000)).toBe(true)
  })

  it('turns Failed into a JobFailedError with the status reason and the job id', async () => {
    signerMock
      .on(DescribeSigningJobCommand)
      .resolves({ jobId: 'job-9', status: 'Failed', statusReason: 'Source object is not a zip file' })
    const error = await waitForSigningJob(signer, 'job-9', 600).catch(e => e)
    expect(error).toBeInstanceOf(JobFailedError)
    expect(error.jobId).toBe('job-9')
    expect(error.statusReason).toBe('Source object is not a zip file')
    expect(error.message).toBe('Signing job job-9 failed: Source object is not a zip file')
  })

  it('turns a job that outlives timeout-seconds into a WaitTimeoutError with the job id', async () => {
    jest.useFakeTimers()
    signerMock.on(DescribeSigningJobCommand).resolves({ jobId: 'job-slow', status: 'InProgress' })
    const waiting = waitForSigningJob(signer, 'job-slow', 10).catch(e => e)
    await jest.advanceTimersByTimeAsync(11_000)
    const error = await waiting
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect(error.jobId).toBe('job-slow')
    expect(error.message).toBe(
      'Signing job job-slow did not finish within 10 s; check it with: aws signer describe-signing-job --job-id job-slow'
    )
  })

  it('uses the whole timeout: a job finishing just before the deadline is not reported as timed out', async () => {
    jest.useFakeTimers()
    const start = Date.now()
    const pollTimes: number[] = []
    signerMock.on(DescribeSigningJobCommand).callsFake(() => {
      pollTimes.push(Date.now() - start)
      return Date.now() - start < 9_900 ? { jobId: 'job-1', status: 'InProgress' } : SUCCEEDED
    })
    const waiting = waitForSigningJob(signer, 'job-1', 10)
    await jest.advanceTimersByTimeAsync(11_000)
    expect((await waiting).status).toBe('Succeeded')
    expect(pollTimes.at(-1)).toBe(10_000)
  })

  it('keeps polling through transient errors (throttling beyond the client retries)', async () => {
    jest.useFakeTimers()
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' })
    signerMock.on(DescribeSigningJobCommand).rejectsOnce(throttled).resolves(SUCCEEDED)
    const waiting = waitForSigningJob(signer, 'job-1', 600)
    await jest.advanceTimersByTimeAsync(2000)
    expect((await waiting).status).toBe('Succeeded')
  })

  it('passes on a job that does not exist', async () => {
    signerMock
      .on(DescribeSigningJobCommand)
      .rejects(new ResourceNotFoundException({ message: 'no such job', $metadata: {} }))
    await expect(waitForSigningJob(signer, 'nope', 600)).rejects.toMatchObject({
      name: 'ResourceNotFoundException'
    })
  })
})
