/**
 * A small IAM policy evaluator for the stack's own policies: explicit Deny wins, else an Allow must match
 * (IAM user guide, reference_policies_evaluation-logic; same-account access, where the identity policy or
 * the bucket policy may allow). It knows the condition operators the stack uses: Null, Bool, StringLike,
 * StringEquals, ArnLike, ArnNotLike. An operator it does not know fails the test rather than guess.
 */

export interface Statement {
  Sid?: string
  Effect: 'Allow' | 'Deny'
  Principal?: unknown
  Action: string | string[]
  Resource: string | string[]
  Condition?: Record<string, Record<string, string | string[]>>
}

export interface Request {
  action: string
  resource: string
  principalArn: string
  /** Request context keys: s3:if-none-match when the header is sent, aws:SecureTransport... */
  context: Record<string, string>
}

const list = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value])

function wildcard(pattern: string, value: string, caseInsensitive = false): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${source}$`, caseInsensitive ? 'i' : '').test(value)
}

function conditionHolds(operator: string, key: string, expected: string[], request: Request): boolean {
  const value = key === 'aws:PrincipalArn' ? request.principalArn : request.context[key]
  switch (operator) {
    case 'Null':
      return expected.some(e => (e === 'true') === (value === undefined))
    case 'Bool':
    case 'StringEquals':
      return value !== undefined && expected.includes(value)
    case 'StringLike':
    case 'ArnLike':
      return value !== undefined && expected.some(e => wildcard(e, value))
    case 'ArnNotLike':
      return value === undefined || !expected.some(e => wildcard(e, value))
    default:
      throw new Error(`policy-eval does not know the condition operator ${operator}`)
  }
}

export function matches(statement: Statement, request: Request): boolean {
  if (!list(statement.Action).some(a => wildcard(a, request.action, true))) return false
  if (!list(statement.Resource).some(r => wildcard(r, request.resource))) return false
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => conditionHolds(operator, key, list(expected), request))
  )
}

/** Allowed when no statement denies and one allows. */
export function isAllowed(statements: readonly Statement[], request: Request): boolean {
  const matching = statements.filter(statement => matches(statement, request))
  return !matching.some(s => s.Effect === 'Deny') && matching.some(s => s.Effect === 'Allow')
}
