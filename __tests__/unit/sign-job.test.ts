import { DescribeSigningJobCommand, SignerClient, StartSigningJobCommand } from '@aws-sdk/client-signer'
import { mockClient } from 'aws-sdk-client-mock'
import { describeSigningJob, startSigningJob } from '../../src/sign/job'

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

  it("keeps who started the job and from which account: the filters of the watcher's listing", async () => {
    signerMock.on(DescribeSigningJobCommand).resolves({
      ...SUCCEEDED,
      requestedBy: 'arn:aws:sts::123456789012:assumed-role/release-signing/run-1001',
      jobInvoker: '123456789012'
    })
    expect(await describeSigningJob(signer, 'job-1')).toMatchObject({
      requestedBy: 'arn:aws:sts::123456789012:assumed-role/release-signing/run-1001',
      jobInvoker: '123456789012'
    })
  })
})
