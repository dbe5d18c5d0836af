import { InputError } from '../errors'
import { InputReader, booleanInput, nonEmptyListInput, optionalString, requiredString } from '../inputs'
import { STATEMENT_ID, derivedStatementId } from '../permissions/plan'
import { PERMISSION_ACTIONS, PermissionAction } from '../permissions/types'
import { profileNameInput, profileVersionInput, reasonInput } from './shared'
import { CommonConfig, PermissionsConfig } from './types'

/** A 12-digit account id, or the ARN of an IAM principal: an account root, a role or a user (any path). */
const PRINCIPAL =
  /^(\d{12}|arn:aws(-cn|-us-gov|-iso|-iso-b)?:iam::\d{12}:(root|(role|user)\/([\w+=,.@-]+\/)*[\w+=,.@-]+))$/

function principalInput(read: InputReader): string | undefined {
  const principal = optionalString(read, 'principal')
  if (principal !== undefined && !PRINCIPAL.test(principal)) {
    throw new InputError(
      'principal',
      'expected a 12-digit AWS account ID or an IAM principal ARN ' +
        `(arn:aws:iam::111122223333:root, :role/NAME or :user/NAME), got '${principal}'`
    )
  }
  return principal
}

function permissionActionInput(read: InputReader): PermissionAction | undefined {
  const action = optionalString(read, 'permission-action')
  if (action === undefined) return undefined
  const known = PERMISSION_ACTIONS.find(a => a.toLowerCase() === action.toLowerCase())
  if (!known) {
    throw new InputError(
      'permission-action',
      `expected one of ${PERMISSION_ACTIONS.join(', ')}, got '${action}'`
    )
  }
  return known
}

const OPERATIONS = ['list', 'grant', 'remove'] as const

export function buildPermissionsConfig(read: InputReader): Omit<PermissionsConfig, keyof CommonConfig> {
  const operationRaw = requiredString(
    read,
    'operation',
    `in permissions mode: one of ${OPERATIONS.join(', ')}`
  )
  const operation = OPERATIONS.find(o => o === operationRaw.toLowerCase())
  if (!operation) {
    throw new InputError('operation', `expected one of ${OPERATIONS.join(', ')}, got '${operationRaw}'`)
  }
  const profileName = profileNameInput(read, 'in permissions mode')
  const principal = principalInput(read)
  const action = permissionActionInput(read)
  const profileVersion = profileVersionInput(read)
  const statementIds = nonEmptyListInput(read, 'statement-id', 'statement id')
  const common = {
    mode: 'permissions' as const,
    profileName,
    dryRun: booleanInput(read, 'dry-run', false),
    reason: reasonInput(read, false)
  }
  if (operation === 'list') return { ...common, request: { operation } }
  if (operation === 'grant') {
    if (principal === undefined) {
      throw new InputError('principal', 'is required for grant: the account ID or IAM principal ARN to grant')
    }
    if (action === undefined) {
      throw new InputError(
        'permission-action',
        `is required for grant: one of ${PERMISSION_ACTIONS.join(', ')}`
      )
    }
    if (statementIds.length > 1) {
      throw new InputError(
        'statement-id',
        `grant adds one statement: give one id, got ${statementIds.length}`
      )
    }
    const content = { principal, action, ...(profileVersion ? { profileVersion } : {}) }
    const statementId = statementIds[0] ?? derivedStatementId(content)
    if (!STATEMENT_ID.test(statementId)) {
      throw new InputError('statement-id', `expected 1-100 letters, digits, '_' or '-', got '${statementId}'`)
    }
    return {
      ...common,
      request: { operation, statement: { statementId, ...content }, derivedId: statementIds.length === 0 }
    }
  }
  if (statementIds.length > 0) {
    const extra = principal
      ? 'principal'
      : action
        ? 'permission-action'
        : profileVersion
          ? 'profile-version'
          : ''
    if (extra) {
      throw new InputError(
        extra,
        'must be left out when remove names statement-id: give statement-id, or principal (with optional ' +
          'permission-action and profile-version) to remove every statement naming it'
      )
    }
    return { ...common, request: { operation, by: 'statement-id', statementIds } }
  }
  if (principal === undefined) {
    throw new InputError(
      'statement-id',
      'remove needs statement-id (the statements to remove) or principal (every statement naming it)'
    )
  }
  return {
    ...common,
    request: {
      operation,
      by: 'principal',
      principal,
      ...(action ? { action } : {}),
      ...(profileVersion ? { profileVersion } : {})
    }
  }
}
