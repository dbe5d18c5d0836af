import { RevokeSignatureCommand, RevokeSigningProfileCommand, SignerClient } from '@aws-sdk/client-signer'
import { errorMessage } from '../errors'
import { jobResult } from './plan'
import { JobPlan, JobResult, ProfilePlan, ProfileResult } from './types'

/** RevokeSignature for a job planned for revocation; an API error becomes a failed row, not a throw. */
export async function revokeJob(signer: SignerClient, plan: JobPlan, reason: string): Promise<JobResult> {
  const input = { jobId: plan.target.jobId, reason, ...(plan.jobOwner ? { jobOwner: plan.jobOwner } : {}) }
  try {
    await signer.send(new RevokeSignatureCommand(input))
    return jobResult(plan, 'revoked')
  } catch (error) {
    return jobResult(plan, 'failed', `RevokeSignature: ${errorMessage(error)}`)
  }
}

/**
 * RevokeSigningProfile with effectiveTime as a Date: the SDK sends it as that instant (epoch seconds), so
 * the signatures made after it are the ones no longer trusted.
 */
export async function revokeProfile(
  signer: SignerClient,
  plan: ProfilePlan,
  reason: string
): Promise<ProfileResult> {
  const { target } = plan
  try {
    await signer.send(
      new RevokeSigningProfileCommand({
        profileName: target.profileName,
        profileVersion: target.profileVersion,
        reason,
        effectiveTime: target.effectiveTime
      })
    )
    return plan.detail ? { target, outcome: 'revoked', detail: plan.detail } : { target, outcome: 'revoked' }
  } catch (error) {
    return { target, outcome: 'failed', detail: `RevokeSigningProfile: ${errorMessage(error)}` }
  }
}
