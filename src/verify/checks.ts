/**
 * One pure check per question, over the evidence gathered once (no AWS call here), each with a reason a
 * person can read, pass or fail: the shape of AWS's own verifier (the Signer plugin for Notation).
 */
import { TrustedProfile } from '../config'
import { logSafe } from '../report/log-text'
import { iso } from '../revoke/format'
import { trustedBy } from './arns'
import { CheckResult, JobEvidence } from './types'

/** Strings from Signer, Lambda, the manifest or the workspace are data: quoted and escaped for a log line. */
export const quoted = (text: string): string => `"${logSafe(text)}"`

const pass = (check: CheckResult['check'], reason: string): CheckResult => ({ check, ok: true, reason })
const fail = (check: CheckResult['check'], reason: string): CheckResult => ({ check, ok: false, reason })

export function checkTrustedProfile(
  evidence: JobEvidence,
  trusted: readonly TrustedProfile[] | undefined
): CheckResult {
  const signer = evidence.profileVersionArn
  if (!trusted) {
    return pass(
      'trusted-profile',
      `no trusted-profile given: any profile is trusted (signed by ${signer ?? 'an unknown profile'})`
    )
  }
  if (!signer) return fail('trusted-profile', 'the profile version that signed it is unknown')
  const match = trustedBy(trusted, signer)
  return match
    ? pass('trusted-profile', `signed by ${signer}, trusted as ${match.arn}`)
    : fail('trusted-profile', `signed by ${signer}, which trusted-profile does not name`)
}

export function checkStatus(evidence: JobEvidence): CheckResult {
  const { job } = evidence
  if (job.kind === 'error') return fail('status', `DescribeSigningJob failed: ${job.error}`)
  if (job.status === 'Succeeded') return pass('status', 'Succeeded')
  const why = job.statusReason ? `: ${quoted(job.statusReason)}` : ''
  return fail(
    'status',
    `the job is ${job.status ?? 'of unknown status'}${why}; only a Succeeded job has a signature`
  )
}

export function checkJobRevocation(evidence: JobEvidence): CheckResult {
  const { job, revocationStatus, jobArn } = evidence
  if (job.kind === 'error') return fail('job-revocation', 'not checked: the job could not be read')
  const record = job.revocation
  if (record) {
    const by = record.revokedBy ? ` by ${quoted(record.revokedBy)}` : ''
    const reason = record.reason ? `: ${quoted(record.reason)}` : ''
    return fail(
      'job-revocation',
      `the signature was revoked at ${iso(record.revokedAt) || 'an unknown time'}${by}${reason}`
    )
  }
  if (revocationStatus?.kind === 'found' && jobArn && revocationStatus.revokedEntities.includes(jobArn)) {
    return fail('job-revocation', 'GetRevocationStatus lists the signing job as revoked')
  }
  return pass('job-revocation', 'the signature is not revoked')
}

export function checkProfileRevocation(evidence: JobEvidence): CheckResult {
  const { job, profile, revocationStatus, signedAt, profileVersionArn } = evidence
  if (job.kind === 'error') return fail('profile-revocation', 'not checked: the job could not be read')
  if (!signedAt) return fail('profile-revocation', 'not checked: Signer gives no time for the signing')
  const version = `profile ${job.profileName ?? '?'} version ${job.profileVersion ?? '?'}`
  const signed = `the signing at ${iso(signedAt)}`
  if (profile?.kind === 'found' && profile.profileVersion === job.profileVersion) {
    const record = profile.revocation
    if (!record && profile.status !== 'Revoked')
      return pass('profile-revocation', `${version} is not revoked`)
    const from = record?.effectiveFrom
    const who = record?.revokedBy ? ` by ${quoted(record.revokedBy)}` : ''
    const when = record?.revokedAt ? ` at ${iso(record.revokedAt)}` : ''
    if (!from || from.getTime() <= signedAt.getTime()) {
      return fail(
        'profile-revocation',
        `${version} was revoked${who}${when}, effective ${iso(from) || 'from an unknown time'}: at or before ${signed}`
      )
    }
    return pass(
      'profile-revocation',
      `${version} was revoked${who}${when}, effective ${iso(from)}: after ${signed}, so the signature stands`
    )
  }
  const unread = profile?.kind === 'error' ? `GetSigningProfile failed (${profile.error}); ` : ''
  if (!revocationStatus) return fail('profile-revocation', `${unread}not checked`)
  if (revocationStatus.kind === 'error') {
    return fail('profile-revocation', `${unread}GetRevocationStatus failed: ${revocationStatus.error}`)
  }
  if (profileVersionArn && revocationStatus.revokedEntities.includes(profileVersionArn)) {
    return fail('profile-revocation', `GetRevocationStatus: ${version} is revoked for ${signed}`)
  }
  return pass('profile-revocation', `GetRevocationStatus: ${version} is not revoked for ${signed}`)
}

export function checkExpiry(evidence: JobEvidence, now: Date): CheckResult {
  const { job } = evidence
  if (job.kind === 'error') return fail('expiry', 'not checked: the job could not be read')
  const expiresAt = job.signatureExpiresAt
  if (!expiresAt) return fail('expiry', 'Signer gives no signatureExpiresAt for the job')
  if (expiresAt.getTime() <= now.getTime())
    return fail('expiry', `the signature expired at ${iso(expiresAt)}`)
  return pass('expiry', `the signature expires at ${iso(expiresAt)}`)
}

/** What the manifest says of the job must be what Signer says: a manifest is a file anyone could edit. */
export function checkManifest(evidence: JobEvidence): CheckResult | undefined {
  const { job, target } = evidence
  const manifest = target.manifest
  if (!manifest) return undefined
  if (job.kind === 'error') return fail('manifest', 'not checked: the job could not be read')
  const differences: string[] = []
  const compare = (field: string, claimed: string | null | undefined, actual: string | undefined): void => {
    if (claimed != null && claimed !== actual) {
      differences.push(`${field} ${quoted(claimed)} where Signer says ${quoted(actual ?? 'nothing')}`)
    }
  }
  compare('jobOwner', manifest.jobOwner, job.jobOwner)
  compare('profileName', manifest.profileName || null, job.profileName)
  compare('profileVersion', manifest.profileVersion, job.profileVersion)
  compare('signed.bucket', manifest.signed?.bucket, job.signedObject?.bucket)
  compare('signed.key', manifest.signed?.key, job.signedObject?.key)
  return differences.length === 0
    ? pass('manifest', "the manifest's record of the job matches Signer's")
    : fail('manifest', `the manifest says ${differences.join(', ')}`)
}

/** Each signed file at hand is byte-identical to what Signer produced (the manifest's signed-sha256). */
export function checkSignedFiles(evidence: JobEvidence): CheckResult[] {
  const manifest = evidence.target.manifest
  if (!manifest) return []
  const expected = manifest.signedSha256
  if (!expected) {
    return [
      pass('signed-file', 'not checked: the sign run did not download the signed file (no signedSha256)')
    ]
  }
  return evidence.files.map(file => {
    const name = quoted(file.relativePath)
    if (file.kind === 'missing') return pass('signed-file', `${name}: not checked, not in the workspace`)
    if (file.kind === 'error') return fail('signed-file', `${name} could not be read: ${file.error}`)
    return file.sha256 === expected
      ? pass('signed-file', `${name} is byte-identical to the signed file (sha256 ${expected})`)
      : fail(
          'signed-file',
          `${name} differs from the signed file Signer produced: sha256 ${file.sha256}, signed ${expected}`
        )
  })
}
