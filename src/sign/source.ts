import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import * as path from 'node:path'
import { Readable, Transform } from 'node:stream'
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  S3Client
} from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { RunContext } from '../context'
import { errorMessage, httpStatusOf, responseHeadersOf } from '../errors'
import {
  ExpectedChecksum,
  StoredChecksum,
  checksumProvesBytes,
  expectedChecksum,
  fullObjectChecksum,
  needsComposite,
  uploadPartSize
} from './checksum'
import { Artifact, Log, SourceObject } from './types'

/** The key is derived from the content, so the same bytes always land on the same key. */
export function sourceKey(
  prefix: string,
  artifact: Pick<Artifact, 'sha256' | 'path'>,
  pathApi: path.PlatformPath = path
): string {
  return `${prefix}${artifact.sha256}/${pathApi.basename(artifact.path)}`
}

/**
 * S3 user metadata travels in HTTP headers: printable ASCII only. Anything else (a branch name in Unicode)
 * is percent-encoded rather than rejected or mangled.
 */
export function metadataValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value)
}

export function sourceMetadata(
  artifact: Pick<Artifact, 'sha256'>,
  context: RunContext
): Record<string, string> {
  const metadata: Record<string, string> = {
    sha256: artifact.sha256,
    repository: context.repository,
    commit: context.commit,
    ref: context.ref,
    workflow: context.workflow,
    'run-id': context.runId,
    actor: context.actor
  }
  return Object.fromEntries(Object.entries(metadata).map(([name, value]) => [name, metadataValue(value)]))
}

export interface SourceOptions {
  bucket: string
  prefix: string
  expectedBucketOwner?: string
  /** lib-storage's part size and parallel parts per upload; its defaults (5 MiB, 4) unless set. */
  partSize?: number
  queueSize?: number
}

/**
 * Step 3: the exact object version Signer will read. When the bucket already holds these bytes under the key
 * (S3's own SHA-256 checksum of that version proves it), that version is reused: a re-run adds no version.
 * Otherwise the file is streamed up with lib-storage (multipart above one part), with a SHA-256 checksum that
 * S3 verifies and keeps, and the new version id recorded.
 */
export async function ensureSourceObject(
  s3: S3Client,
  artifact: Artifact,
  context: RunContext,
  options: SourceOptions,
  log: Log = () => {}
): Promise<SourceObject> {
  const key = sourceKey(options.prefix, artifact)
  const partSize = uploadPartSize(artifact.size, options.partSize)
  const existing = await findVersionWithBytes(
    s3,
    { bucket: options.bucket, key, expectedBucketOwner: options.expectedBucketOwner },
    artifact,
    partSize,
    log
  )
  if (existing) {
    log(`Reusing s3://${options.bucket}/${key} version ${existing}: it already holds these bytes`)
    return { bucket: options.bucket, key, versionId: existing, reused: true }
  }

  log(`Uploading ${artifact.relativePath} to s3://${options.bucket}/${key}`)
  // The bytes are hashed again on their way up: a file rewritten between hashing and upload must not be
  // signed under the hash (and the key) of its earlier content.
  const uploaded = hashingStream(artifact.path)
  const upload = new Upload({
    client: s3,
    partSize,
    queueSize: options.queueSize,
    params: {
      Bucket: options.bucket,
      Key: key,
      Body: uploaded.stream,
      ContentLength: artifact.size,
      ChecksumAlgorithm: 'SHA256',
      Metadata: sourceMetadata(artifact, context),
      ExpectedBucketOwner: options.expectedBucketOwner
    }
  })
  const result = await upload.done()
  if (!result.VersionId || result.VersionId === 'null') {
    throw new Error(
      `s3://${options.bucket}/${key} was stored without a version id: is versioning still Enabled on the bucket?`
    )
  }
  if (uploaded.sha256() !== artifact.sha256) {
    // Remove the version, or a later run would reuse bytes that its sha256 metadata does not describe.
    await s3.send(
      new DeleteObjectCommand({
        Bucket: options.bucket,
        Key: key,
        VersionId: result.VersionId,
        ExpectedBucketOwner: options.expectedBucketOwner
      })
    )
    throw new Error(
      `${artifact.relativePath} changed while it was being uploaded (sha256 ${artifact.sha256} when hashed, ` +
        `${uploaded.sha256()} when uploaded); the uploaded version was deleted and nothing was signed`
    )
  }
  log(`Uploaded version ${result.VersionId}`)
  return { bucket: options.bucket, key, versionId: result.VersionId, reused: false }
}

/** The file as a stream, and the SHA-256 of what passed through it once it has been read. */
function hashingStream(file: string): { stream: Readable; sha256: () => string } {
  const hash = createHash('sha256')
  const hasher = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk)
      done(null, chunk)
    }
  })
  const source = createReadStream(file)
  source.on('error', error => hasher.destroy(error))
  source.pipe(hasher)
  let digest: string | undefined
  return { stream: hasher, sha256: () => (digest ??= hash.digest('hex')) }
}

interface ExistingObject {
  versionId?: string
  size?: number
  checksum: StoredChecksum
}

interface ObjectAddress {
  bucket: string
  key: string
  expectedBucketOwner?: string
}

/** What a HEAD of the key (or one of its versions) says. */
type HeadResult =
  | { kind: 'found'; object: ExistingObject }
  /** 404; a delete marker when the key's current version is one (older versions may remain). */
  | { kind: 'missing'; deleteMarker: boolean }
  /** 403: without s3:ListBucket S3 answers 403 for a missing key, so nothing can be told. */
  | { kind: 'unknown'; reason: string }

/** How many older versions of the key are inspected before uploading anew. */
const OLDER_VERSIONS_CHECKED = 5

/**
 * The version of the key that holds these bytes, if any. The current version answers in one call, as on
 * every re-run. Only when it is a delete marker, or holds other bytes, are the older versions looked at.
 */
async function findVersionWithBytes(
  s3: S3Client,
  address: ObjectAddress,
  artifact: Artifact,
  partSize: number,
  log: Log
): Promise<string | undefined> {
  const where = `s3://${address.bucket}/${address.key}`
  let expected: Promise<ExpectedChecksum> | undefined
  // The file is read a second time only for a stored multipart checksum (never on a first upload).
  const provesBytes = async (object: ExistingObject): Promise<boolean> => {
    if (object.size !== artifact.size || !object.versionId || object.versionId === 'null') return false
    if (!object.checksum.sha256) {
      log(
        `${where} version ${object.versionId} has no SHA-256 checksum from S3: it proves nothing, not reused`
      )
      return false
    }
    const wanted = needsComposite(object.checksum)
      ? (expected ??= expectedChecksum(artifact, partSize))
      : Promise.resolve({ fullObject: fullObjectChecksum(artifact.sha256) })
    if (checksumProvesBytes(object.checksum, await wanted)) return true
    log(
      `${where} version ${object.versionId} holds other bytes (S3's SHA-256 checksum ${object.checksum.sha256}); not reused`
    )
    return false
  }

  const current = await headObject(s3, address)
  if (current.kind === 'unknown') {
    log(`Cannot tell whether ${where} exists (${current.reason}); uploading a new version`)
    return undefined
  }
  if (current.kind === 'missing' && !current.deleteMarker) return undefined
  if (current.kind === 'found' && (await provesBytes(current.object))) return current.object.versionId

  let listed
  try {
    listed = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: address.bucket,
        Prefix: address.key,
        ExpectedBucketOwner: address.expectedBucketOwner
      })
    )
  } catch (error) {
    // Reuse is an optimisation: without s3:ListBucketVersions, a new version is uploaded instead.
    log(`Could not list the versions of ${where} (${errorMessage(error)}); uploading anew`)
    return undefined
  }
  const currentVersion = current.kind === 'found' ? current.object.versionId : undefined
  const candidates = (listed?.Versions ?? [])
    .filter(version => version.Key === address.key && version.Size === artifact.size && version.VersionId)
    .filter(version => version.VersionId !== currentVersion)
    .sort((a, b) => (b.LastModified?.getTime() ?? 0) - (a.LastModified?.getTime() ?? 0))
    .slice(0, OLDER_VERSIONS_CHECKED)
  for (const candidate of candidates) {
    const older = await headObject(s3, address, candidate.VersionId)
    if (older.kind === 'found' && (await provesBytes(older.object))) return older.object.versionId
  }
  return undefined
}

/** HEAD with checksum mode: S3 returns the version's stored checksum (HeadObject's ChecksumMode ENABLED). */
async function headObject(s3: S3Client, address: ObjectAddress, versionId?: string): Promise<HeadResult> {
  try {
    const head = await s3.send(
      new HeadObjectCommand({
        Bucket: address.bucket,
        Key: address.key,
        VersionId: versionId,
        ExpectedBucketOwner: address.expectedBucketOwner,
        ChecksumMode: 'ENABLED'
      })
    )
    return {
      kind: 'found',
      object: {
        versionId: head.VersionId,
        size: head.ContentLength,
        checksum: { sha256: head.ChecksumSHA256, type: head.ChecksumType }
      }
    }
  } catch (error) {
    const status = httpStatusOf(error)
    if (
      error instanceof Error &&
      (status === 404 || error.name === 'NotFound' || error.name === 'NoSuchKey')
    ) {
      // S3 answers a HEAD of a deleted key with 404 and x-amz-delete-marker: true.
      return { kind: 'missing', deleteMarker: responseHeadersOf(error)?.['x-amz-delete-marker'] === 'true' }
    }
    if (status === 403) {
      return {
        kind: 'unknown',
        reason: `${errorMessage(error)}: S3 answers 403 for a missing key to a caller without s3:ListBucket`
      }
    }
    throw error
  }
}
