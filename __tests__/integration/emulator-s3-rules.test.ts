/**
 * StartSigningJob's documented S3 requirements, as the emulator enforces them: buckets in the profile's
 * Region, a versioned source bucket; and a job over an empty source fails. See "Signing, S3 and Regions"
 * in emulator/README.md.
 */
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand
} from '@aws-sdk/client-s3'
import { StartSigningJobCommand, ValidationException } from '@aws-sdk/client-signer'
import { putSource, waitForJob, lambdaZip } from '../../emulator/testing'
import { LocalStack, startStack } from '../../scripts/stack'

let stack: LocalStack
beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 50 })
  await stack.s3.send(
    new CreateBucketCommand({
      Bucket: 'eu-bucket',
      CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' }
    })
  )
  await stack.s3.send(
    new PutBucketVersioningCommand({ Bucket: 'eu-bucket', VersioningConfiguration: { Status: 'Enabled' } })
  )
  await stack.s3.send(new CreateBucketCommand({ Bucket: 'unversioned' }))
})
afterAll(async () => {
  await stack?.stop()
})

function start(
  source: { bucketName: string; key: string; version: string },
  destinationBucket = stack.bucket
) {
  return stack.signer.send(
    new StartSigningJobCommand({
      profileName: stack.profileName,
      clientRequestToken: `${source.bucketName}-${source.key}-${destinationBucket}`,
      source: { s3: source },
      destination: { s3: { bucketName: destinationBucket, prefix: 'signed/' } }
    })
  )
}

describe('StartSigningJob and the S3 buckets', () => {
  it("moto keeps the eu-west-1 bucket's Region (HeadBucket's x-amz-bucket-region), as S3 does", async () => {
    const head = await stack.s3.send(new HeadBucketCommand({ Bucket: 'eu-bucket' }))
    expect(head.BucketRegion).toBe('eu-west-1')
  })

  it('refuses a source bucket in another Region than the profile: ValidationException', async () => {
    const version = await putSource(stack.s3, 'eu-bucket', 'app.zip', lambdaZip('bytes'))
    const error = await start({ bucketName: 'eu-bucket', key: 'app.zip', version }).catch(e => e)
    expect(error).toBeInstanceOf(ValidationException)
    expect(error.message).toBe(
      `The source bucket eu-bucket is in eu-west-1 and the signing profile ${stack.profileName} in us-east-1: ` +
        "the S3 buckets must be in the same Region as the signing profile. Cross-Region signing isn't supported."
    )
    expect(await stack.emulator.admin.calls('StartSigningJob')).toContainEqual(
      expect.objectContaining({ status: 400, errorType: 'ValidationException' })
    )
  })

  it('refuses a destination bucket in another Region', async () => {
    const version = await putSource(stack.s3, stack.bucket, 'dest.zip', lambdaZip('bytes'))
    const error = await start({ bucketName: stack.bucket, key: 'dest.zip', version }, 'eu-bucket').catch(
      e => e
    )
    expect(error).toBeInstanceOf(ValidationException)
    expect(error.message).toMatch(/^The destination bucket eu-bucket is in eu-west-1 and the signing profile/)
  })

  it('refuses a source bucket that is not version enabled', async () => {
    await stack.s3.send(new PutObjectCommand({ Bucket: 'unversioned', Key: 'app.zip', Body: 'bytes' }))
    const error = await start({ bucketName: 'unversioned', key: 'app.zip', version: 'null' }).catch(e => e)
    expect(error).toBeInstanceOf(ValidationException)
    expect(error.message).toBe(
      'The source bucket unversioned must be version enabled (its versioning is not enabled).'
    )
  })

  it('accepts buckets in the profile Region (the control case)', async () => {
    const version = await putSource(stack.s3, stack.bucket, 'ok.zip', lambdaZip('bytes'))
    const started = await start({ bucketName: stack.bucket, key: 'ok.zip', version })
    expect((await waitForJob(stack.signer, started.jobId as string)).status).toBe('Succeeded')
  })

  it('fails the job of an empty source object, with a statusReason that says so', async () => {
    const version = await putSource(stack.s3, stack.bucket, 'empty.zip', '')
    const started = await start({ bucketName: stack.bucket, key: 'empty.zip', version })
    const job = await waitForJob(stack.signer, started.jobId as string)
    expect(job.status).toBe('Failed')
    expect(job.statusReason).toBe('The source object is empty (0 bytes): there is no code to sign.')
    expect(job.signedObject).toBeUndefined()
  })
})
