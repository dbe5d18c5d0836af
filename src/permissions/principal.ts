/**
 * Who a profile permission can name. AWS: "The AWS principal receiving cross-account permissions. This may be
 * an IAM role or another AWS account ID" (AddProfilePermission, API reference); anything else is answered
 * `ValidationException: Principal is not a valid AWS account id or IAM Role Arn`. Pure functions.
 */

export const ACCOUNT_ID = /^\d{12}$/
const PARTITION = 'aws(?:-cn|-us-gov)?'
/** IAM's role-name characters (1-64). */
const ROLE_NAME = '[\\w+=,.@-]{1,64}'
const ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):role/(${ROLE_NAME})$`)
const ROLE_ARN_WITH_PATH = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):role/(?:[\\w+=,.@-]+/)+${ROLE_NAME}$`)
const ROOT_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):root$`)
const USER_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):user/`)
const ASSUMED_ROLE_ARN = new RegExp(`^arn:(${PARTITION}):sts::(\\d{12}):assumed-role/(${ROLE_NAME})/`)

const ACCEPTED =
  'a 12-digit AWS account ID (111122223333) or an IAM role ARN (arn:aws:iam::111122223333:role/NAME): ' +
  "AWS Signer answers any other principal with 'Principal is not a valid AWS account id or IAM Role Arn'"

export type ParsedPrincipal =
  | {
      kind: 'ok'
      principal: string
      /** Set when the input was rewritten: says what and why. */ note?: string
    }
  | { kind: 'refused'; reason: string }

/** The principal AWS will take for `raw`, or why it will not. */
export function parsePrincipal(raw: string): ParsedPrincipal {
  if (ACCOUNT_ID.test(raw) || ROLE_ARN.test(raw)) return { kind: 'ok', principal: raw }
  const root = ROOT_ARN.exec(raw)
  if (root) {
    // The account root ARN and the account id name the same principal in IAM; Signer takes only the id.
    return {
      kind: 'ok',
      principal: root[1],
      note: `principal ${raw} is the account root: used as account ID ${root[1]}, the form AWS Signer takes`
    }
  }
  const withPath = ROLE_ARN_WITH_PATH.exec(raw)
  if (withPath) {
    return {
      kind: 'refused',
      reason:
        `'${raw}' is a role ARN with a path, which AWS Signer has been seen to refuse ('Principal is not a ` +
        `valid AWS account id or IAM Role Arn'): give the account ID ${withPath[1]} (its IAM policies then ` +
        'decide which of its roles may use the profile), or a role without a path'
    }
  }
  const assumed = ASSUMED_ROLE_ARN.exec(raw)
  if (assumed) {
    return {
      kind: 'refused',
      reason:
        `'${raw}' is a role session, not a role: give the role ARN ` +
        `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]} (add its path, if it has one, and see above)`
    }
  }
  const user = USER_ARN.exec(raw)
  if (user) {
    return {
      kind: 'refused',
      reason: `'${raw}' is an IAM user; expected ${ACCEPTED}. Grant the account ID ${user[1]}, or a role the user assumes`
    }
  }
  return { kind: 'refused', reason: `expected ${ACCEPTED}; got '${raw}'` }
}

/** The account of an account ID or an IAM ARN; undefined for anything else ('*'). */
export function accountOf(principal: string): string | undefined {
  if (ACCOUNT_ID.test(principal)) return principal
  return /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1]
}

/**
 * Whether a statement naming `statementPrincipal` lets `principal` act: the same principal, its whole
 * account (an account ID covers every role of the account), or a wildcard (which AddProfilePermission does
 * not take, but a listing may show for a policy made otherwise).
 */
export function covers(statementPrincipal: string, principal: string): boolean {
  if (statementPrincipal === '*' || statementPrincipal === principal) return true
  return ACCOUNT_ID.test(statementPrincipal) && accountOf(principal) === statementPrincipal
}
