/**
 * GetRevocationStatus: which of the entities a verifier names are revoked for a signature made at
 * signatureTimestamp. The model (botocore signer 2017-08-25, `GetRevocationStatusRequest`) requires all five
 * members and answers `revokedEntities`, "a list of revoked entities (including zero or more of the signing
 * profile ARN, signing job ARN, and certificate hashes) supplied as input".
 */
import { parseProfileArn } from '../arns'
import { Handler, Services } from '../context'
import { readString, readStringList, readTime } from '../validation'

/** arn:PARTITION:signer:REGION:ACCOUNT:/signing-jobs/ID, the form of the profile ARNs. */
const JOB_ARN = /^arn:aws[a-z-]*:signer:([a-z0-9-]+):(\d{12}):\/signing-jobs\/([a-zA-Z0-9-]+)$/

const ARN_RULE = { required: true, min: 20, max: 2048 } as const

/**
 * A profile version is revoked for a signature made at or after its revocation's effective time
 * (RevokeSigningProfile: "Signatures generated using the signing profile after this timestamp are not
 * trusted"); a job's revocation (RevokeSignature) holds whatever the time. An ARN the emulator does not know
 * is not listed: nothing of it was revoked here.
 */
export const getRevocationStatus: Handler = ({ services }, input) => {
  const signatureTimestamp = readTime(input, 'signatureTimestamp', true)
  readString(input, 'platformId', { required: true })
  const profileVersionArn = readString(input, 'profileVersionArn', ARN_RULE)
  const jobArn = readString(input, 'jobArn', ARN_RULE)
  // On the wire a query-string list is one parameter per member, so an empty list sends nothing and reads
  // here as absent (the JS SDK sends `certificateHashes: []` that way): absence is taken as the empty list
  // (inferred: AWS does not document a signature without certificate hashes). The emulator's certificates are
  // its own self-signed ones and never revoked, so no hash is ever listed.
  readStringList(input, 'certificateHashes')
  const revokedEntities: string[] = []
  if (profileVersionRevoked(services, profileVersionArn, signatureTimestamp))
    revokedEntities.push(profileVersionArn)
  if (jobRevoked(services, jobArn)) revokedEntities.push(jobArn)
  return { revokedEntities }
}

function profileVersionRevoked(services: Services, arn: string, signedAt: number): boolean {
  const parts = parseProfileArn(arn)
  if (!parts?.profileVersion || parts.region !== services.settings.region) return false
  const profile = services.store.getProfile(parts.owner, parts.profileName)
  if (!profile || profile.profileVersion !== parts.profileVersion || !profile.revocation) return false
  return profile.revocation.effectiveFrom <= signedAt
}

function jobRevoked(services: Services, arn: string): boolean {
  const match = JOB_ARN.exec(arn)
  if (!match || match[1] !== services.settings.region) return false
  const job = services.store.getJob(match[3])
  return job !== undefined && job.jobOwner === match[2] && job.revocation !== undefined
}
