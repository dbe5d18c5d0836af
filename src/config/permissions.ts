import { InputError } from '../errors'
import { InputReader, booleanInput, nonEmptyListInput, optionalString, requiredString } from '../inputs'
import { STATEMENT_ID, derivedStatementId } from '../permissions/plan'
import { parsePrincipal } from '../permissions/principal'
import { PERMISSION_ACTIONS, PermissionAction } from '../permissions/types'
import { profileNameInput, profileVersionInput, reasonInput } from './shared'
import { CommonConfig, PermissionsConfig } from './types'

/** The principal in the form AWS takes, and a note when it was rewritten to it; else an InputError. */
function principalInput(read: InputReader): { principal: string; principalNote?: string } | undefined {
  const raw = optionalString(read, 'principal')
  if (raw === undefined) return undefined
  const parsed = parsePrincipal(raw)
  if (parsed.kind === 'refused') throw new InputError('principal', parsed.reason)
  return { principal: parsed.principal, ...(parsed.note ? { principalNote: parsed.note } : {}) }
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
  const given = principalInput(read)
  const principal = given?.principal
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
      throw new InputError('principal', 'is required for grant: the account ID or IAM role ARN to grant')
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
      throw new InputError('statement-id', `expected 1-64 letters, digits, '_' or '-', got '${statementId}'`)
    }
    return {
      ...common,
      request: {
        operation,
        statement: { statementId, ...content },
        derivedId: statementIds.length === 0,
        ...(given?.principalNote ? { principalNote: given.principalNote } : {})
      }
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
      ...(given?.principalNote ? { principalNote: given.principalNote } : {}),
      ...(action ? { action } : {}),
      ...(profileVersion ? { profileVersion } : {})
    }
  }
}
