import { TrustedProfile } from '../config'
import { partitionOf } from '../sign/provenance'

/**
 * arn:PARTITION:signer:REGION:ACCOUNT:/signing-jobs/ID: the form Lambda reports in SigningJobArn, with the
 * same resource layout as the profile ARNs (the IAM resource type signing-job).
 */
const JOB_ARN = /^arn:aws[a-z-]*:signer:[a-z0-9-]+:\d{12}:\/signing-jobs\/([a-zA-Z0-9-]{1,64})$/

export function jobArn(region: string, owner: string, jobId: string): string {
  return `arn:${partitionOf(region)}:signer:${region}:${owner}:/signing-jobs/${jobId}`
}

/** The job id a signing job ARN names, or undefined when it is not one. */
export function jobIdOfArn(arn: string): string | undefined {
  return JOB_ARN.exec(arn)?.[1]
}

/**
 * Whether a signature by `profileVersionArn` is trusted by one of `trusted`, and by which: a profile ARN
 * matches any of its versions, a version ARN only itself, case-insensitively (AWS's own verifier, the
 * Signer plugin for Notation, internal/verifier/verifier.go, validateTrustedIdentity).
 */
export function trustedBy(
  trusted: readonly TrustedProfile[],
  profileVersionArn: string
): TrustedProfile | undefined {
  const signer = profileVersionArn.toLowerCase()
  const profileOfSigner = signer.slice(0, signer.lastIndexOf('/'))
  return trusted.find(entry =>
    entry.profileVersion === undefined
      ? profileOfSigner === entry.profileArn.toLowerCase()
      : signer === entry.arn.toLowerCase()
  )
}
