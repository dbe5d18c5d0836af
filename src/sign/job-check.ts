import { logSafe } from '../report/log-text'
import { JobState, SourceObject } from './types'

/** What this run asked Signer to do: a job that does anything else is not this run's job. */
export interface JobRequestSummary {
  source: Pick<SourceObject, 'bucket' | 'key' | 'versionId'>
  profileName: string
  /** The profile's current version (preflight): a job of another version is not one this run would start. */
  profileVersion?: string
  /** profile-owner; without it the profile is the caller's own, so the job's owner is its invoker. */
  profileOwner?: string
  destinationBucket: string
  destinationPrefix: string
}

/**
 * How a job differs from what this run asked for, one phrase per field; empty when it matches. A field
 * Signer has not reported yet is not a difference: the signed object, and so the destination, is known only
 * once the job has succeeded, and the check runs again then (`jobMismatches` after the watch).
 *
 * Why it matters: Signer hands back the job it already started for a clientRequestToken, whatever that job
 * signs, and the token is derived from public data (repository, commit, names). Anyone who may start
 * signing jobs in the account can start one with this run's token on another object first.
 */
export function jobMismatches(job: JobState, asked: JobRequestSummary): string[] {
  const differences: string[] = []
  const differs = (what: string, got: string | undefined, expected: string): void => {
    if (got !== undefined && got !== expected) {
      differences.push(`${what} ${quote(got)} (this run asked for ${quote(expected)})`)
    }
  }
  differs('source bucket', job.sourceBucket, asked.source.bucket)
  differs('source key', job.sourceKey, asked.source.key)
  differs('source version', job.sourceVersion, asked.source.versionId)
  differs('profile', job.profileName, asked.profileName)
  if (asked.profileVersion !== undefined) differs('profile version', job.profileVersion, asked.profileVersion)
  const owner = asked.profileOwner ?? job.jobInvoker
  if (owner !== undefined) differs('profile owner', job.jobOwner, owner)
  if (job.signedObject) {
    differs('destination bucket', job.signedObject.bucket, asked.destinationBucket)
    if (!job.signedObject.key.startsWith(asked.destinationPrefix)) {
      differences.push(
        `signed object key ${quote(job.signedObject.key)} (outside destination prefix ${quote(asked.destinationPrefix)})`
      )
    }
  }
  return differences
}

/** The job, named with what it signs instead: for the error and the warning that refuse it. */
export function mismatchText(job: JobState, differences: readonly string[]): string {
  return `signing job ${logSafe(job.jobId)} signs something else: ${differences.join('; ')}`
}

function quote(text: string): string {
  return `'${logSafe(text)}'`
}
