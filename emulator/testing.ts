/**
 * Small helpers for tests that drive the emulator through the SDK (the emulator's own tests and the
 * action's integration tests): wait for a job, upload a source version, and a client acting as another
 * emulated account.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import {
  DescribeSigningJobCommand,
  DescribeSigningJobCommandOutput,
  SignerClient,
  SignerClientConfig
} from '@aws-sdk/client-signer'
import { zipArchive } from '../scripts/zip'

/** Polls DescribeSigningJob until the job leaves InProgress; throws after timeoutMs. */
export async function waitForJob(
  signer: SignerClient,
  jobId: string,
  {
    timeoutMs = 10_000,
    intervalMs = 20,
    jobOwner
  }: { timeoutMs?: number; intervalMs?: number; jobOwner?: string } = {}
): Promise<DescribeSigningJobCommandOutput> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const job = await signer.send(new DescribeSigningJobCommand({ jobId }))
    if (job.status !== 'InProgress') return job
    if (Date.now() > deadline)
      throw new Error(
        `signing job ${jobId}${jobOwner ? ` of ${jobOwner}` : ''} still InProgress after ${timeoutMs} ms`
      )
    await new Promise(resolve => setTimeout(resolve, intervalMs))
  }
}

/** Uploads `body` to a versioned bucket and returns the new version id. */
export async function putSource(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string | Buffer
): Promise<string> {
  const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }))
  if (!put.VersionId) throw new Error(`s3://${bucket}/${key} got no version id: is versioning enabled?`)
  return put.VersionId
}

/**
 * A Signer client whose requests carry `accessKeyId`: map that key to an account with
 * `admin.configure({ identities: { [accessKeyId]: { accountId } } })` to act as another account.
 */
export function signerClientAs(
  endpoint: string,
  region: string,
  accessKeyId: string,
  config: Partial<SignerClientConfig> = {}
): SignerClient {
  return new SignerClient({
    region,
    endpoint,
    credentials: { accessKeyId, secretAccessKey: 'emulator-secret' },
    ...config
  })
}

/**
 * Small deterministic zip files (scripts/zip.ts): the same entries always give the same bytes, so a test can
 * compute what it expects. The Lambda platform signs zip files only; tests sign these.
 */
export { zipArchive }

/** A one-file Lambda deployment package holding `content` (index.js). */
export function lambdaZip(content: string | Buffer): Buffer {
  return zipArchive({ 'index.js': content })
}
