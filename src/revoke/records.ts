import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  S3Client,
  paginateListObjectsV2
} from '@aws-sdk/client-s3'
import { errorMessage } from '../errors'
import { jobIdOfKey } from '../provenance/layout'
import { IndexRecord } from '../provenance/types'

/**
 * Reading provenance records for revoke. What each read needs (S3 API reference, "Permissions" of each
 * operation): the listing s3:ListBucket on the bucket (a policy may narrow it with s3:prefix); a record
 * s3:GetObject on the records prefix; and to tell a missing record (404) from one the role may not read,
 * s3:ListBucket without an s3:prefix condition, because a HEAD or GET carries no prefix: without it S3
 * answers 403 for a key that does not exist. A record that cannot be read leaves its job unresolved.
 */

/** ListObjectsV2's own maximum page. */
export const RECORDS_PAGE_SIZE = 1000

export type RecordRead =
  { kind: 'record'; record: IndexRecord } | { kind: 'missing' } | { kind: 'unreadable'; reason: string }

const JOB_ID = /^[A-Za-z0-9-]{1,64}$/
const isString = (value: unknown): value is string => typeof value === 'string'

/**
 * A record as S3 holds it (a start record, or a record of the earlier layout), or undefined when the text is
 * not one. The fields revoke relies on are checked for their types: a record is data someone else wrote.
 */
export function parseRecord(text: string): IndexRecord | undefined {
  let value: Record<string, unknown>
  try {
    value = JSON.parse(text) as Record<string, unknown>
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const layout = value.schemaVersion === 1 || (value.schemaVersion === 2 && value.kind === 'start')
  const source = value.source as Record<string, unknown> | null | undefined
  const run = value.run as Record<string, unknown> | null | undefined
  const valid =
    layout &&
    isString(value.jobId) &&
    JOB_ID.test(value.jobId) &&
    isString(value.repository) &&
    isString(value.commit) &&
    isString(value.profileName) &&
    typeof source === 'object' &&
    source !== null &&
    isString(source.bucket) &&
    isString(source.key) &&
    isString(source.versionId) &&
    typeof run === 'object' &&
    run !== null &&
    isString(run.runId)
  return valid ? (value as unknown as IndexRecord) : undefined
}

/** The first key of each job under the prefix, all pages: by-run holds one key per attempt. */
export async function listRecordKeys(
  s3: S3Client,
  bucket: string,
  prefix: string,
  pageSize = RECORDS_PAGE_SIZE
): Promise<{ keys: Map<string, string>; pages: number }> {
  const keys = new Map<string, string>()
  let pages = 0
  for await (const page of paginateListObjectsV2(
    { client: s3, pageSize },
    { Bucket: bucket, Prefix: prefix }
  )) {
    pages++
    for (const object of page.Contents ?? []) {
      const jobId = object.Key ? jobIdOfKey(object.Key) : undefined
      if (jobId && object.Key && !keys.has(jobId)) keys.set(jobId, object.Key)
    }
  }
  return { keys, pages }
}

const httpStatus = (error: unknown): number | undefined =>
  (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode

function isMissing(error: unknown): boolean {
  return error instanceof NoSuchKey || error instanceof NotFound || httpStatus(error) === 404
}

function unreadable(error: unknown): RecordRead {
  if (httpStatus(error) === 403) {
    return {
      kind: 'unreadable',
      reason:
        'S3 answered 403: the role may not read it (s3:GetObject on the records prefix), or it does not ' +
        'exist and the role lacks s3:ListBucket without a prefix condition'
    }
  }
  return { kind: 'unreadable', reason: errorMessage(error) }
}

export async function readRecordAt(s3: S3Client, bucket: string, key: string): Promise<RecordRead> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
    const record = parseRecord((await response.Body?.transformToString()) ?? '')
    return record
      ? { kind: 'record', record }
      : { kind: 'unreadable', reason: 'it is not a provenance record' }
  } catch (error) {
    return isMissing(error) ? { kind: 'missing' } : unreadable(error)
  }
}

/** Is there a record at the key: 'yes', 'no', or why it cannot be told. */
export async function recordAt(
  s3: S3Client,
  bucket: string,
  key: string
): Promise<'yes' | 'no' | RecordRead> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
    return 'yes'
  } catch (error) {
    return isMissing(error) ? 'no' : unreadable(error)
  }
}
