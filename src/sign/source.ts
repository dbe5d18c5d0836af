import { createReadStream } from 'node:fs'
import * as path from 'node:path'
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { RunContext } from '../context'
import { Artifact, Log, SourceObject } from './types'

/** The key is derived from the content, so the same bytes always land on the same key. */
export function sourceKey(prefix: string, artifact: Pick<Artifact, 'sha256' | 'path'>): string {
  return `${prefix}${artifact.sha256}/${path.basename(artifact.path)}`
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
 * Step 3: the exact object version Signer will read. When the key's current version already holds these
 * bytes (same sha256 in its metadata, same size), it is reused: a re-run adds no version. Otherwise the file
 * is streamed up with lib-storage (multipart above one part) and the new version id recorded.
 */
export async function ensureSourceObject(
  s3: S3Client,
  artifact: Artifact,
  context: RunContext,
  options: SourceOptions,
  log: Log = () => {}
): Promise<SourceObject> {
  const key = sourceKey(options.prefix, artifact)
  const existing = await headObject(s3, options.bucket, key, options.expectedBucketOwner)
  if (
    existing &&
    existing.sha256 === artifact.sha256 &&
    existing.size === artifact.size &&
    existing.versionId &&
    existing.versionId !== 'null'
  ) {
    log(`Reusing s3://${options.bucket}/${key} version ${existing.versionId}: it already holds these bytes`)
    return { bucket: options.bucket, key, versionId: existing.versionId, reused: true }
  }

  log(`Uploading ${artifact.relativePath} to s3://${options.bucket}/${key}`)
  const upload = new Upload({
    client: s3,
    partSize: options.partSize,
    queueSize: options.queueSize,
    params: {
      Bucket: options.bucket,
      Key: key,
      Body: createReadStream(artifact.path),
      ContentLength: artifact.size,
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
  log(`Uploaded version ${result.VersionId}`)
  return { bucket: options.bucket, key, versionId: result.VersionId, reused: false }
}

interface ExistingObject {
  versionId?: string
  sha256?: string
  size?: number
}

async function headObject(
  s3: S3Client,
  bucket: string,
  key: string,
  expectedBucketOwner?: string
): Promise<ExistingObject | undefined> {
  try {
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key, ExpectedBucketOwner: expectedBucketOwner })
    )
    return { versionId: head.VersionId, sha256: head.Metadata?.sha256, size: head.ContentLength }
  } catch (error) {
    // A missing key, or a delete marker as the current version: upload.
    if (error instanceof Error && (error.name === 'NotFound' || error.name === 'NoSuchKey')) return undefined
    throw error
  }
}
