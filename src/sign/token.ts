import { createHash } from 'node:crypto'

/** What makes two signing requests the same request. Run ids and attempts are deliberately absent. */
export interface TokenInput {
  repository: string
  commit: string
  profileName: string
  profileOwner?: string
  sourceBucket: string
  sourceKey: string
  /** The content's SHA-256 for an uploaded file; '' for source-object, whose version pins the bytes. */
  sha256: string
  /** source-object only: the version signed. Absent for uploaded files, so their tokens never change. */
  sourceVersionId?: string
  destinationBucket: string
  destinationPrefix: string
}

/**
 * A deterministic clientRequestToken: SHA-256 over the fields in a fixed order (JSON-encoded, so no two
 * different inputs can join into the same string), shaped as an RFC 9562 version-8 UUID. A re-run of the
 * same commit sends the same token, and Signer answers with the job it already started.
 *
 * `retry` counts the jobs of this same request that had already Failed when a later run found them: each
 * gets the next token, so a re-run can retry a failed signing and every later re-run still finds its job.
 *
 * `pinnedVersion` makes the fallback token, used when the job Signer hands back for the first one signs
 * something else (someone started it earlier with this public token on another object). It adds the source
 * version this run signs, which nobody can know before the source version exists, and stays the same for
 * every re-run that signs that version, so re-runs still find their job.
 */
export function clientRequestToken(input: TokenInput, retry = 0, pinnedVersion?: string): string {
  const fields = [
    'aws-signer-action/v1',
    input.repository,
    input.commit,
    input.profileName,
    input.profileOwner ?? '',
    input.sourceBucket,
    input.sourceKey,
    input.sha256,
    input.destinationBucket,
    input.destinationPrefix,
    ...(input.sourceVersionId !== undefined ? [`version:${input.sourceVersionId}`] : []),
    // Absent for the first request, so its token never changes.
    ...(retry > 0 ? [`retry:${retry}`] : []),
    ...(pinnedVersion !== undefined ? [`pinned:${pinnedVersion}`] : [])
  ]
  const bytes = createHash('sha256').update(JSON.stringify(fields)).digest().subarray(0, 16)
  bytes[6] = (bytes[6] & 0x0f) | 0x80 // version 8: custom
  bytes[8] = (bytes[8] & 0x3f) | 0x80 // variant 10xx
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
