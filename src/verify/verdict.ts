import { TrustedProfile } from '../config'
import { jobIdOfArn } from './arns'
import {
  checkExpiry,
  checkJobRevocation,
  checkManifest,
  checkProfileRevocation,
  checkSignedFiles,
  checkStatus,
  checkTrustedProfile,
  quoted
} from './checks'
import { CheckResult, FunctionRead, FunctionVerdict, JobEvidence, JobVerdict } from './types'

/** Every check of one job; the job is valid only when each passes. */
export function judgeJob(
  evidence: JobEvidence,
  trusted: readonly TrustedProfile[] | undefined,
  now: Date
): JobVerdict {
  const checks: CheckResult[] = [
    checkTrustedProfile(evidence, trusted),
    checkStatus(evidence),
    checkJobRevocation(evidence),
    checkProfileRevocation(evidence),
    checkExpiry(evidence, now),
    ...[checkManifest(evidence)].filter((check): check is CheckResult => check !== undefined),
    ...checkSignedFiles(evidence)
  ]
  return {
    jobId: evidence.target.jobId,
    verdict: checks.every(check => check.ok) ? 'valid' : 'invalid',
    sources: evidence.target.sources,
    profileVersionArn: evidence.profileVersionArn,
    signedAt: evidence.signedAt,
    checks
  }
}

/** The reasons of the checks that failed: what the outputs and the error lines say of an invalid job. */
export function failedReasons(verdict: JobVerdict): string[] {
  return verdict.checks.filter(check => !check.ok).map(check => `${check.check}: ${check.reason}`)
}

/**
 * A function's verdict is its job's, plus Lambda and Signer agreeing on the profile version. An unsigned
 * function is reported; it is invalid only when it was named (lambda-function lists it).
 */
export function judgeFunction(
  fn: FunctionRead,
  jobs: ReadonlyMap<string, JobVerdict>,
  named: boolean
): FunctionVerdict {
  if (fn.kind === 'error') {
    return { name: fn.name, verdict: 'invalid', reasons: [`GetFunctionConfiguration failed: ${fn.error}`] }
  }
  const base = { name: fn.name, profileVersionArn: fn.signingProfileVersionArn }
  if (!fn.signingJobArn) {
    const reason = 'not signed: Lambda reports no SigningJobArn for the code it runs'
    return { ...base, verdict: named ? 'invalid' : 'unsigned', reasons: [reason] }
  }
  const jobId = jobIdOfArn(fn.signingJobArn)
  const verdict = jobId ? jobs.get(jobId) : undefined
  if (!jobId || !verdict) {
    return {
      ...base,
      verdict: 'invalid',
      reasons: [`SigningJobArn ${quoted(fn.signingJobArn)} is not a signing job ARN`]
    }
  }
  const reasons = failedReasons(verdict)
  const lambdaSays = fn.signingProfileVersionArn?.toLowerCase()
  if (lambdaSays !== verdict.profileVersionArn?.toLowerCase()) {
    reasons.push(
      `Lambda reports profile version ${quoted(fn.signingProfileVersionArn ?? 'none')}, ` +
        `Signer says job ${jobId} was signed by ${verdict.profileVersionArn ?? 'an unknown profile version'}`
    )
  }
  return { ...base, jobId, verdict: reasons.length === 0 ? 'valid' : 'invalid', reasons }
}
