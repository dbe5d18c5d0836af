import { JobPlan } from './types'

/** How the plan of this run differs from the approved one; both empty when it is the same. */
export interface ApprovalDiff {
  /** Jobs this run would revoke that nobody approved. */
  added: string[]
  /** Approved jobs this run would neither revoke nor find already revoked. */
  missing: string[]
}

/**
 * Compares the plan with approved-job-ids. A job approved and since revoked (by an earlier attempt of this
 * run, say) still counts as approved: re-running after a partial failure must not be refused for it.
 */
export function compareWithApproved(plans: readonly JobPlan[], approved: readonly string[]): ApprovalDiff {
  const approvedSet = new Set(approved)
  const toRevoke = plans.filter(plan => plan.action === 'revoke').map(plan => plan.target.jobId)
  const accounted = new Set(
    plans.filter(plan => plan.action === 'revoke' || plan.action === 'skip').map(plan => plan.target.jobId)
  )
  return {
    added: toRevoke.filter(jobId => !approvedSet.has(jobId)),
    missing: approved.filter(jobId => !accounted.has(jobId))
  }
}

export function approvalMessage(diff: ApprovalDiff): string | undefined {
  if (diff.added.length === 0 && diff.missing.length === 0) return undefined
  const parts: string[] = []
  if (diff.added.length > 0) parts.push(`added (not approved): ${diff.added.join(', ')}`)
  if (diff.missing.length > 0) parts.push(`missing (approved, no longer planned): ${diff.missing.join(', ')}`)
  return (
    `The plan differs from approved-job-ids, so nothing was revoked: ${parts.join('; ')}. ` +
    'Run the dry run again and have the new plan approved.'
  )
}
