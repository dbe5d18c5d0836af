import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

/**
 * What S3's own SHA-256 checksum of an uploaded artifact is, so that a stored version can be proven to hold
 * the artifact's bytes (user metadata proves nothing: whoever can write the key can write any metadata).
 *
 * S3 verifies every checksum an upload sends and stores one per object. A single PutObject stores the
 * SHA-256 of the whole object (type FULL_OBJECT). A multipart upload with SHA-256 can only be COMPOSITE:
 * S3 supports full-object multipart checksums for the CRC algorithms alone, and a CRC is no proof against
 * someone choosing the bytes. The composite value is the SHA-256 of the concatenated binary part digests,
 * then '-' and the part count, so it depends on the part size: the upload and the check use the same one.
 */

/** lib-storage's rule, made explicit so that the checksum check knows the parts: 5 MiB, more past 10,000 parts. */
export const MIN_PART_SIZE = 5 * 1024 * 1024
const MAX_PARTS = 10_000

export function uploadPartSize(size: number, requested?: number): number {
  return requested || Math.max(MIN_PART_SIZE, Math.ceil(size / MAX_PARTS))
}

/** The checksum S3 reports for an object: base64, '-N' appended for a multipart (COMPOSITE) one. */
export interface StoredChecksum {
  sha256?: string
  /** FULL_OBJECT or COMPOSITE; absent from older S3-compatible servers (moto's HeadObject). */
  type?: string
}

/** What S3 will report for these bytes uploaded with this part size. */
export interface ExpectedChecksum {
  /** base64 SHA-256 of the whole file: what a single PutObject stores. */
  fullObject: string
  /** Only for a file over one part: the digest of the part digests, and the part count. */
  composite?: { digest: string; parts: number }
}

/** The whole-object checksum is the artifact's SHA-256 in base64: no second read of the file. */
export function fullObjectChecksum(sha256Hex: string): string {
  return Buffer.from(sha256Hex, 'hex').toString('base64')
}

/**
 * The composite checksum of the file cut into parts of `partSize` bytes (the last one shorter), read as a
 * stream. lib-storage sends a file of at most one part with a single PutObject: no composite then.
 */
export async function expectedChecksum(
  artifact: { path: string; size: number; sha256: string },
  partSize: number
): Promise<ExpectedChecksum> {
  const fullObject = fullObjectChecksum(artifact.sha256)
  if (artifact.size <= partSize) return { fullObject }
  const digests: Buffer[] = []
  let part = createHash('sha256')
  let inPart = 0
  for await (const chunk of createReadStream(artifact.path) as AsyncIterable<Buffer>) {
    let offset = 0
    while (offset < chunk.length) {
      const take = Math.min(partSize - inPart, chunk.length - offset)
      part.update(chunk.subarray(offset, offset + take))
      inPart += take
      offset += take
      if (inPart === partSize) {
        digests.push(part.digest())
        part = createHash('sha256')
        inPart = 0
      }
    }
  }
  if (inPart > 0) digests.push(part.digest())
  const digest = createHash('sha256').update(Buffer.concat(digests)).digest('base64')
  return { fullObject, composite: { digest, parts: digests.length } }
}

/** Whether the stored checksum needs the composite form, so that the file is read again only when it does. */
export function needsComposite(stored: StoredChecksum): boolean {
  return stored.sha256 !== undefined && stored.type !== 'FULL_OBJECT'
}

/**
 * True only when S3's stored SHA-256 checksum is the one these bytes give. moto's HeadObject reports a
 * composite value without its type or '-N' suffix: a bare value is compared with both forms, which is safe
 * since each is a SHA-256 over the content (equal values mean the same bytes).
 */
export function checksumProvesBytes(stored: StoredChecksum, expected: ExpectedChecksum): boolean {
  if (!stored.sha256) return false
  const [digest, parts, ...rest] = stored.sha256.split('-')
  if (rest.length > 0) return false
  if (stored.type !== 'COMPOSITE' && parts === undefined && digest === expected.fullObject) return true
  const composite = expected.composite
  return (
    composite !== undefined &&
    stored.type !== 'FULL_OBJECT' &&
    digest === composite.digest &&
    (parts === undefined || parts === String(composite.parts))
  )
}
