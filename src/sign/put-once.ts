import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { disagreements } from '../provenance/compare'

/**
 * S3's conditional write: "If-None-Match: *" writes the key only when it holds no object, else S3 answers
 * 412 PreconditionFailed; two such writes racing for one key get 409 ConditionalRequestConflict for the
 * loser, "On a 409 failure you should retry the upload" (S3 API reference, PutObject; S3 user guide,
 * conditional-writes). So a record is written once and never replaced: a later run that finds its key
 * taken reads what is there and compares.
 */

/** How many times a 409 (a write racing ours) is retried; the retry then finds the key taken (412). */
export const CONFLICT_RETRIES = 3

export interface PutOnceRequest {
  bucket: string
  key: string
  body: string
  expectedBucketOwner?: string
}

/** written: the key was free; found: it held a record that agrees. */
export type PutOnceOutcome = 'written' | 'found'

/** A key already holds a record of the same job that says something else: someone must look. */
export class RecordConflictError extends Error {
  override name = 'RecordConflictError'
  constructor(
    readonly location: string,
    readonly fields: readonly string[]
  ) {
    super(
      `${location} already holds a record that differs from this run's on ${fields.join(', ')}: ` +
        'records are never overwritten, so it was left as it is. Compare it with the job in AWS Signer ' +
        '(aws signer describe-signing-job) before trusting either'
    )
  }
}

const statusOf = (error: unknown): number | undefined =>
  (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode

export function isPreconditionFailed(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'PreconditionFailed' || statusOf(error) === 412
}

export function isConditionalConflict(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name
  return name === 'ConditionalRequestConflict' || statusOf(error) === 409
}

/**
 * Writes `body` at `key` unless the key holds an object; then `compare` gets the object's text and returns
 * the fields on which it disagrees (none: the same record, written by an earlier run or attempt).
 */
export async function putOnce(
  s3: S3Client,
  request: PutOnceRequest,
  compare: (existing: string) => string[]
): Promise<PutOnceOutcome> {
  const { bucket, key, body, expectedBucketOwner } = request
  for (let attempt = 0; ; attempt++) {
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json',
          IfNoneMatch: '*',
          ExpectedBucketOwner: expectedBucketOwner
        })
      )
      return 'written'
    } catch (error) {
      if (isConditionalConflict(error) && attempt < CONFLICT_RETRIES) continue
      if (!isPreconditionFailed(error)) throw error
    }
    const existing = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, ExpectedBucketOwner: expectedBucketOwner })
    )
    const fields = compare((await existing.Body?.transformToString()) ?? '')
    if (fields.length > 0) throw new RecordConflictError(`s3://${bucket}/${key}`, fields)
    return 'found'
  }
}

/**
 * The compare of putOnce for JSON records. Text that is not JSON, or a record of another job, disagrees: an
 * empty object must not pass for this job's record because it names nothing.
 */
export function compareJson(
  mine: { jobId: string },
  fields: readonly string[]
): (existing: string) => string[] {
  return text => {
    let existing: unknown
    try {
      existing = JSON.parse(text)
    } catch {
      return ['(not a JSON record)']
    }
    if ((existing as { jobId?: unknown } | null)?.jobId !== mine.jobId) return ['jobId']
    return disagreements(existing, mine, fields)
  }
}
