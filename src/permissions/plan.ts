import * as crypto from 'node:crypto'
import { covers } from './principal'
import { ChangePlan, PermissionChange, PermissionsRequest, Policy, Statement } from './types'

/**
 * Statement ids this action makes and accepts for grant. The model puts no pattern on `statementId`; the
 * Terraform AWS provider, whose acceptance tests run against AWS, takes 1-64 letters, digits, '_' and '-'
 * (its tests add ids such as 'tf_acc_test_123' and 'tf-acc-test-prefix-…'): ids known to work.
 */
export const STATEMENT_ID = /^[A-Za-z0-9_-]{1,64}$/
const DERIVED_ID_MAX = 64

/**
 * The statement id of a grant without statement-id: made from its content, so a re-run of the same grant
 * finds its own statement ('StartSigningJob-111122223333', 'SignPayload-111122223333-role-deploy').
 */
export function derivedStatementId(statement: Omit<Statement, 'statementId'>): string {
  const who = statement.principal.replace(/^arn:[^:]+:iam::/, '').replace(/[^A-Za-z0-9_-]+/g, '-')
  const version = statement.profileVersion ? `-${statement.profileVersion}` : ''
  const id = `${statement.action.replace(/^signer:/, '')}-${who}${version}`.replace(/-+$/, '')
  if (id.length <= DERIVED_ID_MAX) return id
  // Too long to read anyway: keep the start and make it unique with a hash of the whole content.
  const hash = crypto.createHash('sha256').update(id).digest('hex').slice(0, 12)
  return `${id.slice(0, DERIVED_ID_MAX - 13)}-${hash}`
}

export function sameContent(a: Omit<Statement, 'statementId'>, b: Omit<Statement, 'statementId'>): boolean {
  return (
    a.action === b.action &&
    a.principal === b.principal &&
    (a.profileVersion ?? '') === (b.profileVersion ?? '')
  )
}

/**
 * Whether a statement names the principal to cut off. An account id also matches every IAM principal of
 * that account (its root, roles and users), since cutting an account off means all of them; an ARN matches
 * itself only.
 */
export function namesPrincipal(statementPrincipal: string, principal: string): boolean {
  if (statementPrincipal === principal) return true
  if (!/^\d{12}$/.test(principal)) return false
  return new RegExp(`^arn:[^:]+:iam::${principal}:`).test(statementPrincipal)
}

export function describeStatement(statement: Statement): string {
  const version = statement.profileVersion ? ` (profile version ${statement.profileVersion})` : ''
  return `${statement.statementId}: ${statement.principal} may ${statement.action}${version}`
}

function planGrant(policy: Policy, wanted: Statement): ChangePlan {
  const existing = policy.statements.find(s => s.statementId === wanted.statementId)
  if (existing) {
    if (sameContent(existing, wanted)) {
      return { changes: [], notices: [`Already granted: statement ${describeStatement(existing)}`] }
    }
    return { changes: [], notices: [], clash: { existing, wanted } }
  }
  const equivalent = policy.statements.find(s => sameContent(s, wanted))
  if (equivalent) {
    return {
      changes: [],
      notices: [
        `Already granted under another statement id: ${describeStatement(equivalent)}; ` +
          `statement ${wanted.statementId} is not added`
      ]
    }
  }
  return { changes: [{ kind: 'add', statement: wanted }], notices: [] }
}

function planRemoveByIds(policy: Policy, statementIds: readonly string[]): ChangePlan {
  const changes: PermissionChange[] = []
  const notices: string[] = []
  for (const id of statementIds) {
    const statement = policy.statements.find(s => s.statementId === id)
    if (statement) changes.push({ kind: 'remove', statement })
    else notices.push(`Statement ${id} is not in the policy: nothing to remove`)
  }
  return { changes, notices }
}

function planRemoveByPrincipal(
  policy: Policy,
  request: Extract<PermissionsRequest, { by: 'principal' }>
): ChangePlan {
  const matching = policy.statements.filter(
    s =>
      namesPrincipal(s.principal, request.principal) &&
      (request.action === undefined || s.action === request.action) &&
      (request.profileVersion === undefined || s.profileVersion === request.profileVersion)
  )
  const removed = new Set(matching.map(s => s.statementId))
  const covering = stillCovered(
    policy.statements.filter(s => !removed.has(s.statementId)),
    request
  )
  const warnings = covering.length > 0 ? { warnings: covering } : {}
  if (matching.length > 0) {
    return { changes: matching.map(statement => ({ kind: 'remove', statement })), notices: [], ...warnings }
  }
  const narrowed = [
    request.action ? `for ${request.action}` : '',
    request.profileVersion ? `on profile version ${request.profileVersion}` : ''
  ]
    .filter(Boolean)
    .join(' ')
  return {
    changes: [],
    notices: [`No statement names ${request.principal}${narrowed ? ` ${narrowed}` : ''}: nothing to remove`],
    ...warnings
  }
}

/**
 * The statements left that still let the principal cut off act: its whole account (for a role), a wildcard,
 * or the principal itself on every version when one version was cut off. One warning each, naming it.
 */
function stillCovered(
  remaining: readonly Statement[],
  request: Extract<PermissionsRequest, { by: 'principal' }>
): string[] {
  return remaining
    .filter(
      s =>
        covers(s.principal, request.principal) &&
        (request.action === undefined || s.action === request.action) &&
        (request.profileVersion === undefined ||
          s.profileVersion === undefined ||
          s.profileVersion === request.profileVersion)
    )
    .map(
      s =>
        `${request.principal} is still allowed ${s.action} by statement ${describeStatement(s)}: ` +
        `remove it too (statement-id: ${s.statementId}) to cut ${request.principal} off`
    )
}

/** What a grant or remove request amounts to against this revision of the policy. Pure. */
export function planChange(request: PermissionsRequest, policy: Policy): ChangePlan {
  switch (request.operation) {
    case 'list':
      return { changes: [], notices: [] }
    case 'grant':
      return planGrant(policy, request.statement)
    case 'remove':
      return request.by === 'statement-id'
        ? planRemoveByIds(policy, request.statementIds)
        : planRemoveByPrincipal(policy, request)
  }
}

/** The statements once the changes are made, in the listing's order, additions last. */
export function applyChanges(
  statements: readonly Statement[],
  changes: readonly PermissionChange[]
): Statement[] {
  const removed = new Set(changes.filter(c => c.kind === 'remove').map(c => c.statement.statementId))
  const added = changes.filter(c => c.kind === 'add').map(c => c.statement)
  return [...statements.filter(s => !removed.has(s.statementId)), ...added]
}

/** The clash of a grant with an existing statement of the same id, both shown, for the failure message. */
export function clashMessage(profileName: string, clash: NonNullable<ChangePlan['clash']>): string {
  return (
    `Statement ${clash.wanted.statementId} already exists on profile ${profileName} with other content. ` +
    `Existing: ${describeStatement(clash.existing)}. Wanted: ${describeStatement(clash.wanted)}. ` +
    'Remove it first, or grant under another statement-id.'
  )
}

/** The plan as log lines. */
export function planLines(profileName: string, plan: ChangePlan, dryRun: boolean): string[] {
  const lines = plan.changes.map(change => {
    const verb = change.kind === 'add' ? (dryRun ? 'would add' : 'add') : dryRun ? 'would remove' : 'remove'
    return `${verb} statement ${describeStatement(change.statement)}`
  })
  lines.push(...plan.notices)
  if (plan.changes.length === 0) lines.push(`No change to the permissions of profile ${profileName}`)
  return lines
}
