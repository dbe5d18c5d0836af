/**
 * The emulator's view of S3 (moto, MinIO or any S3 endpoint): it checks that a job's exact source version
 * exists, reads it, and writes the signed object. Path-style addressing and fake credentials.
 */
import {
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException
} from '@aws-sdk/client-s3'

export interface ObjectStore {
  /** The size of that exact version, or undefined when the bucket, key or version does not exist. */
  sizeOf(bucket: string, key: string, version: string): Promise<number | undefined>
  /** The bucket's Region (HeadBucket's x-amz-bucket-region), or undefined when there is no such bucket. */
  bucketRegion(bucket: string): Promise<string | undefined>
  /** The bucket's versioning status: Enabled, Suspended, or undefined when never enabled (or no bucket). */
  versioning(bucket: string): Promise<string | undefined>
  read(bucket: string, key: string, version: string): Promise<Buffer>
  write(bucket: string, key: string, body: Buffer, contentType: string): Promise<void>
  destroy(): void
}

export function s3ObjectStore(endpoint: string, region: string): ObjectStore {
  const client = new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIDSIGNEREMULATOR', secretAccessKey: 'signer-emulator' },
    maxAttempts: 2,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED'
  })
  return {
    async sizeOf(bucket, key, version) {
      try {
        const head = await client.send(
          new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: version })
        )
        return head.ContentLength ?? 0
      } catch (error) {
        // 404 for a missing bucket, key or version; 400 for a version id S3 cannot parse.
        const status = (error as S3ServiceException).$metadata?.httpStatusCode
        if (status !== undefined && status >= 400 && status < 500) return undefined
        throw error
      }
    },
    async bucketRegion(bucket) {
      try {
        return (await client.send(new HeadBucketCommand({ Bucket: bucket }))).BucketRegion ?? region
      } catch (error) {
        if ((error as S3ServiceException).$metadata?.httpStatusCode === 404) return undefined
        throw error
      }
    },
    async versioning(bucket) {
      try {
        return (await client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status
      } catch (error) {
        if ((error as S3ServiceException).$metadata?.httpStatusCode === 404) return undefined
        throw error
      }
    },
    async read(bucket, key, version) {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: version }))
      if (!object.Body) throw new Error(`s3://${bucket}/${key} version ${version} has no body`)
      return Buffer.from(await object.Body.transformToByteArray())
    },
    async write(bucket, key, body, contentType) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType })
      )
    },
    destroy() {
      client.destroy()
    }
  }
}
