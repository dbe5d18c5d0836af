/**
 * What two records of the same job disagree on. A record is never overwritten, so a run that finds one
 * already written compares it with its own; revoke compares an index record with the job's own record.
 * A field one side does not know (null or absent: DescribeSigningJob failed, or the earlier layout lacks
 * it) agrees with anything: only two known, different values are a disagreement.
 */

/** The fields every run that starts or finds a job agrees on (JobFacts), as dotted paths. */
export const FACT_FIELDS = [
  'repository',
  'commit',
  'sha256',
  'jobId',
  'jobOwner',
  'requestedBy',
  'jobCreatedAt',
  'profileName',
  'profileOwner',
  'profileVersion',
  'profileVersionArn',
  'platformId',
  'source.bucket',
  'source.key',
  'source.versionId'
] as const

/** The fields of a finish record that describe the job rather than the run that wrote it. */
export const FINISH_FIELDS = [
  'jobId',
  'status',
  'signatureExpiresAt',
  'signed.bucket',
  'signed.key',
  'signed.versionId',
  'signedSha256'
] as const

function valueAt(record: unknown, path: string): unknown {
  let value: unknown = record
  for (const name of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[name]
  }
  return value
}

const known = (value: unknown): boolean => value !== null && value !== undefined

/** The paths on which both records hold a value and the values differ. */
export function disagreements(existing: unknown, mine: unknown, fields: readonly string[]): string[] {
  return fields.filter(path => {
    const a = valueAt(existing, path)
    const b = valueAt(mine, path)
    return known(a) && known(b) && JSON.stringify(a) !== JSON.stringify(b)
  })
}
