import { RevokeSignatureCommand, RevokeSigningProfileCommand, SignerClient } from '@aws-sdk/client-signer'
import { mapLimit } from '../concurrency'
import { errorMessage } from '../errors'
import { cancelledBy } from './cancel'
import { Patience, untilNotThrottled } from './patience'
import { jobResult, resultFromPlan } from './plan'
import { JobPlan, JobResult, ProfilePlan, ProfileResult } from './types'

/**
 * RevokeSignature for a job planned for revocation; an API error becomes a failed row, not a throw.
 * Throttling never fails it: the call is tried again until Signer answers (see patience.ts). A call the
 * run's cancellation stopped leaves the job planned: the re-run reads whether it took effect.
 */
export async function revokeJob(
  signer: SignerClient,
  plan: JobPlan,
  reason: string,
  patience: Patience = {}
): Promise<JobResult> {
  const { jobId } = plan.target
  const input = { jobId, reason, ...(plan.jobOwner ? { jobOwner: plan.jobOwner } : {}) }
  try {
    await untilNotThrottled(
      `RevokeSignature of job ${jobId}`,
      () => signer.send(new RevokeSignatureCommand(input), { abortSignal: patience.signal }),
      patience
    )
    return jobResult(plan, 'revoked')
  } catch (error) {
    const signal = patience.signal && cancelledBy(patience.signal)
    if (signal) return jobResult(plan, 'planned', `the run was cancelled (${signal}) during its revoke call`)
    return jobResult(plan, 'failed', `RevokeSignature: ${errorMessage(error)}`)
  }
}

export interface RevokeJobsOptions extends Patience {
  concurrency: number
  /** Told about each job revoked. */
  revoked?: (jobId: string) => void
}

/**
 * Every planned revocation, `concurrency` at a time, paced by the Signer client (its adaptive retry mode
 * follows the account's quota). Once the run is cancelled no new call starts: the jobs not reached stay
 * planned, and a re-run skips the ones Signer already shows revoked.
 */
export function revokeJobs(
  signer: SignerClient,
  plans: readonly JobPlan[],
  reason: string,
  options: RevokeJobsOptions
): Promise<JobResult[]> {
  return mapLimit(plans, options.concurrency, async plan => {
    if (plan.action !== 'revoke') return resultFromPlan(plan)
    const signal = options.signal && cancelledBy(options.signal)
    if (signal) return jobResult(plan, 'planned', `not revoked: the run was cancelled (${signal}) first`)
    const result = await revokeJob(signer, plan, reason, options)
    if (result.outcome === 'revoked') options.revoked?.(result.jobId)
    return result
  })
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
    await untilNotThrottled(`RevokeSigningProfile of ${target.profileName}`, () =>
      signer.send(
        new RevokeSigningProfileCommand({
          profileName: target.profileName,
          profileVersion: target.profileVersion,
          reason,
          effectiveTime: target.effectiveTime
        })
      )
    )
    return plan.detail ? { target, outcome: 'revoked', detail: plan.detail } : { target, outcome: 'revoked' }
  } catch (error) {
    return { target, outcome: 'failed', detail: `RevokeSigningProfile: ${errorMessage(error)}` }
  }
}
