import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { relativeInside } from '../paths'
import { logSafe } from '../report/log-text'
import { assertWritableInside } from './safe-paths'

/**
 * Where a signed artifact lands: output-dir plus the artifact's workspace-relative path. Throws rather than
 * return a path outside output-dir, whatever the relative path holds.
 */
export function signedPath(
  outputDir: string,
  relativePath: string,
  pathApi: path.PlatformPath = path
): string {
  const target = pathApi.resolve(outputDir, relativePath)
  if (relativeInside(outputDir, target, pathApi) === undefined) {
    throw new Error(`refusing to write '${relativePath}' outside output-dir ${outputDir}`)
  }
  return target
}

/**
 * Step 7: the signed object streamed to disk through a temporary file in the same directory, renamed into
 * place once complete, so an interrupted download never leaves a half-written file under the final name.
 * Returns the lowercase hex SHA-256 of the bytes written, hashed on their way to disk: the signed file is
 * not read back (subject-checksums, signed-sha256 and the provenance records use it).
 */
export async function downloadSignedObject(
  s3: S3Client,
  object: { bucket: string; key: string; versionId: string },
  target: string,
  options: { expectedBucketOwner?: string; outputDir: string }
): Promise<string> {
  // The version Signer wrote, not whatever the key holds now: an overwrite since is not downloaded.
  const response = await s3.send(
    new GetObjectCommand({
      Bucket: object.bucket,
      Key: object.key,
      VersionId: object.versionId,
      ExpectedBucketOwner: options.expectedBucketOwner
    })
  )
  if (!(response.Body instanceof Readable)) {
    throw new Error(`GetObject s3://${object.bucket}/${logSafe(object.key)} returned no readable body`)
  }
  await assertWritableInside(options.outputDir, target)
  await fs.mkdir(path.dirname(target), { recursive: true })
  const partial = `${target}.${randomBytes(4).toString('hex')}.partial`
  const hash = createHash('sha256')
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk)
      done(null, chunk)
    }
  })
  try {
    await pipeline(response.Body, hashing, createWriteStream(partial, { flags: 'wx' }))
    await fs.rename(partial, target)
    return hash.digest('hex')
  } catch (error) {
    await fs.rm(partial, { force: true })
    throw error
  }
}
