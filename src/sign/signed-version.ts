import { ListObjectVersionsCommand, ObjectVersion, S3Client } from '@aws-sdk/client-s3'
import { logSafe } from '../report/log-text'
import { JobState } from './types'

/**
 * S3 stores LastModified to the second (ListObjectVersions shows `.000Z`), and Signer's times come from
 * another clock than S3's: one second either side of the job's life absorbs both, and is all the room a
 * writer racing Signer gets.
 */
const CLOCK_SLACK_MS = 1000

/**
 * The version of the signed object that Signer wrote: the only version of its key written while the job
 * ran (LastModified between the job's creation and its completion). Its key names the job id, unknown
 * before the job exists, so nothing can be there earlier; a version written after the job finished (an
 * overwrite during a long approval, say) is someone else's and is never chosen. When no version, or more
 * than one, fits, the run fails naming them rather than guess which bytes Signer signed.
 */
export function pickSignedVersion(
  versions: readonly Pick<ObjectVersion, 'VersionId' | 'LastModified'>[],
  job: Pick<JobState, 'jobId' | 'createdAt' | 'completedAt'>,
  key: string
): string {
  const { createdAt, completedAt } = job
  if (!createdAt || !completedAt) {
    throw new Error(
      `signing job ${job.jobId} has no creation or completion time: its signed version is unknown`
    )
  }
  const from = Math.floor(createdAt.getTime() / 1000) * 1000 - CLOCK_SLACK_MS
  const to = completedAt.getTime() + CLOCK_SLACK_MS
  const during = versions.filter(version => {
    const at = version.LastModified?.getTime()
    return version.VersionId !== undefined && at !== undefined && at >= from && at <= to
  })
  if (during.length === 1) return during[0].VersionId as string
  const listed = versions
    .map(v => `${logSafe(v.VersionId ?? '?')} at ${v.LastModified?.toISOString() ?? '?'}`)
    .join(', ')
  const window = `${createdAt.toISOString()} to ${completedAt.toISOString()}`
  throw new Error(
    during.length === 0
      ? `no version of the signed object ${logSafe(key)} was written while job ${job.jobId} ran (${window}); ` +
          `versions: ${listed || 'none'}`
      : `${during.length} versions of the signed object ${logSafe(key)} were written while job ${job.jobId} ran ` +
          `(${window}): ${listed}. Someone else wrote to it; refusing to guess which one Signer wrote`
  )
}

/** Every version of exactly this key (not of the keys it is a prefix of), delete markers left out. */
export async function listKeyVersions(
  s3: S3Client,
  object: { bucket: string; key: string },
  expectedBucketOwner?: string
): Promise<ObjectVersion[]> {
  const versions: ObjectVersion[] = []
  let keyMarker: string | undefined
  let versionIdMarker: string | undefined
  for (;;) {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: object.bucket,
        Prefix: object.key,
        KeyMarker: keyMarker,
        VersionIdMarker: versionIdMarker,
        ExpectedBucketOwner: expectedBucketOwner
      })
    )
    versions.push(...(page.Versions ?? []).filter(version => version.Key === object.key))
    if (!page.IsTruncated) return versions
    keyMarker = page.NextKeyMarker
    versionIdMarker = page.NextVersionIdMarker
  }
}

/** The signed object's version that Signer wrote, read from S3 once the job has succeeded. */
export async function signedObjectVersion(
  s3: S3Client,
  job: JobState & { signedObject: { bucket: string; key: string } },
  expectedBucketOwner?: string
): Promise<string> {
  const versions = await listKeyVersions(s3, job.signedObject, expectedBucketOwner)
  return pickSignedVersion(versions, job, job.signedObject.key)
}
