/** The data permissions mode passes from one step to the next: policy read → change plan → result. */

/** The actions AWS lets a profile's owner grant (AddProfilePermission's `action`, API reference). */
export const PERMISSION_ACTIONS = [
  'signer:StartSigningJob',
  'signer:SignPayload',
  'signer:GetSigningProfile',
  'signer:RevokeSignature'
] as const

export type PermissionAction = (typeof PERMISSION_ACTIONS)[number]

/** One statement of a profile's cross-account policy, as ListProfilePermissions gives it. */
export interface Statement {
  statementId: string
  principal: string
  /** A string, not a PermissionAction: the listing may hold whatever AWS accepted. */
  action: string
  /** Set when the statement applies to one version of the profile only. */
  profileVersion?: string
}

/** The whole policy at one revision: every statement, from every page. */
export interface Policy {
  /** Absent while the profile has no policy: no statement yet, or the last one was removed. */
  revisionId?: string
  statements: Statement[]
  /** Pages ListProfilePermissions answered with. */
  pages: number
}

/** What the run was asked to do, from the inputs. */
export type PermissionsRequest =
  | { operation: 'list' }
  | {
      operation: 'grant'
      statement: Statement
      /** Set when the principal input was rewritten to the form AWS takes (an account root ARN to its id). */
      principalNote?: string
      /** False when statement-id was given; true when it was derived from the statement's content. */
      derivedId: boolean
    }
  | { operation: 'remove'; by: 'statement-id'; statementIds: string[] }
  | {
      operation: 'remove'
      by: 'principal'
      principal: string
      principalNote?: string
      /** Narrow the removal to statements of this action / profile version. */
      action?: string
      profileVersion?: string
    }

export type PermissionChange =
  { kind: 'add'; statement: Statement } | { kind: 'remove'; statement: Statement }

/** What a request amounts to against one revision of the policy. */
export interface ChangePlan {
  changes: PermissionChange[]
  /** Why nothing (or less) is done: already granted, statement absent. Shown as notices, never failures. */
  notices: string[]
  /** remove by principal: statements left that still let that principal act (its account's, a wildcard). */
  warnings?: string[]
  /** grant: a statement with the same id and other content; the run fails showing both. */
  clash?: { existing: Statement; wanted: Statement }
}

/** How a grant or remove ended. */
export interface ChangeResult {
  /** The last plan: after a conflict, the one made against the policy read again. */
  plan: ChangePlan
  /** Every change written, in order, across all rounds (a round cut short by a conflict included). */
  written: PermissionChange[]
  /** The policy after the change (in a dry run: as it is, since nothing was written). */
  after: Policy
  /** True when at least one write succeeded (written is not empty). */
  changed: boolean
  /** Read-plan-write rounds: 1, plus one per ConflictException retried. */
  attempts: number
}

/** Everything a run did, for the outputs, the summary and the log. */
export interface PermissionsRecord {
  operation: PermissionsRequest['operation']
  profileName: string
  reason?: string
  dryRun: boolean
  actor: string
  /** ISO-8601, when the run started. */
  startedAt: string
  repository: string
  runUrl?: string
  before: Policy
  result?: ChangeResult
}
