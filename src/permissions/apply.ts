import * as core from '@actions/core'
import { SignerClient } from '@aws-sdk/client-signer'
import { errorMessage } from '../errors'
import { addStatement } from './add'
import { readPolicy } from './list'
import { applyChanges, clashMessage, planChange } from './plan'
import { removeStatement } from './remove'
import { ChangePlan, ChangeResult, PermissionChange, PermissionsRequest, Policy } from './types'

/**
 * Read-plan-write rounds before giving up. Each ConflictException means another writer changed the
 * policy between our read and our write and finished first; five lost races in a row means someone is
 * editing it right now, and a person should look before we try again.
 */
export const MAX_ATTEMPTS = 5
/** The first wait after a conflict, doubled each time (with jitter), so two racing runs drift apart. */
const RETRY_BASE_DELAY_MS = 200

export interface ApplyDeps {
  maxAttempts?: number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

/** A grant that would replace another statement of the same id; the message shows both. */
export class StatementClashError extends Error {
  override name = 'StatementClashError'
}

export class ConflictRetriesExhaustedError extends Error {
  override name = 'ConflictRetriesExhaustedError'
}

/** Throws the clash of a grant plan, if it has one. */
export function assertNoClash(profileName: string, plan: ChangePlan): void {
  if (plan.clash) throw new StatementClashError(clashMessage(profileName, plan.clash))
}

/**
 * Makes the plan's writes, each against the revision the previous one returned; the policy after them.
 * `onWrite` is told of each write that succeeded, so a conflict half-way still counts as a change.
 */
async function writePlan(
  signer: SignerClient,
  profileName: string,
  policy: Policy,
  plan: ChangePlan,
  onWrite: (change: PermissionChange) => void
): Promise<Policy> {
  let revisionId = policy.revisionId
  let statements = policy.statements
  for (const change of plan.changes) {
    revisionId =
      change.kind === 'add'
        ? await addStatement(signer, profileName, change.statement, revisionId)
        : await removeStatement(signer, profileName, change.statement.statementId, revisionId)
    statements = applyChanges(statements, [change])
    onWrite(change)
  }
  return { ...(revisionId === undefined ? {} : { revisionId }), statements, pages: policy.pages }
}

/**
 * The answers that mean the policy is not what we read: ConflictException (another revision), and
 * ResourceNotFoundException (the policy or the statement went away meanwhile, or, on a first add, the new
 * policy is not visible yet: the Terraform AWS provider retries AddProfilePermission on both while IAM
 * propagates). Either way the policy is read again and the request planned anew.
 */
const STALE_READ = new Set(['ConflictException', 'ResourceNotFoundException'])

/**
 * Plans the request against `policy` (the revision just read) and writes it with that revisionId. On a
 * stale read (STALE_READ) the policy is read again and the request planned anew, up to maxAttempts rounds: a
 * statement someone else added or removed meanwhile is then seen, so a grant already made is not made
 * twice and a principal's statement added meanwhile is removed too.
 */
export async function applyWithRetry(
  signer: SignerClient,
  profileName: string,
  request: PermissionsRequest,
  policy: Policy,
  deps: ApplyDeps = {}
): Promise<ChangeResult> {
  const maxAttempts = deps.maxAttempts ?? MAX_ATTEMPTS
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)))
  const random = deps.random ?? Math.random
  let current = policy
  const written: PermissionChange[] = []
  for (let attempt = 1; ; attempt++) {
    const plan = planChange(request, current)
    assertNoClash(profileName, plan)
    try {
      const after = await writePlan(signer, profileName, current, plan, change => written.push(change))
      return { plan, written, after, changed: written.length > 0, attempts: attempt }
    } catch (error) {
      const code = (error as { name?: string }).name ?? ''
      if (!STALE_READ.has(code)) throw error
      if (attempt >= maxAttempts) {
        throw new ConflictRetriesExhaustedError(
          `The permissions of profile ${profileName} changed between our read and our write ` +
            `${attempt} times in a row (${errorMessage(error)}); someone else is changing them now` +
            (code === 'ResourceNotFoundException' &&
            request.operation === 'grant' &&
            request.statement.profileVersion
              ? `, or the profile has no version ${request.statement.profileVersion}`
              : '') +
            '. Fix: check the policy with operation: list, then run again.',
          { cause: error }
        )
      }
      const delay = Math.round(RETRY_BASE_DELAY_MS * 2 ** (attempt - 1) * (0.5 + random()))
      const what =
        code === 'ConflictException'
          ? 'The policy changed since we read it'
          : 'The policy is not as we read it'
      core.info(
        `${what} (${code}); reading it again in ${delay} ms (attempt ${attempt + 1} of ${maxAttempts})`
      )
      await sleep(delay)
      current = await readPolicy(signer, profileName)
    }
  }
}
