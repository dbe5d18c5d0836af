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

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(data: Buffer): number {
  let crc = 0xffffffff
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/**
 * A zip archive of `entries` (name → content), stored uncompressed, with fixed timestamps: the same entries
 * always give the same bytes, so a test can compute what it expects. The Lambda platform signs zip files
 * only; tests sign these.
 */
export function zipArchive(entries: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.from(content)
    const fileName = Buffer.from(name)
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4) // version needed
    local.writeUInt16LE(0x21, 12) // 1980-01-01
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(fileName.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4) // version made by
    central.writeUInt16LE(20, 6) // version needed
    central.writeUInt16LE(0x21, 14)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(fileName.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, fileName, data)
    centrals.push(central, fileName)
    offset += local.length + fileName.length + data.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(Object.keys(entries).length, 8)
  end.writeUInt16LE(Object.keys(entries).length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

/** A one-file Lambda deployment package holding `content` (index.js), as zipArchive builds it. */
export function lambdaZip(content: string | Buffer): Buffer {
  return zipArchive({ 'index.js': content })
}
