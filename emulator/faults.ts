/**
 * Injected faults: named errors (throttling, 500s, any Signer error) or latency on an operation, and
 * signing jobs that fail or never finish. A fault with a `count` applies that many times, then drops;
 * without one it applies until cleared. Operation `*` matches every operation.
 */
import { PROFILE_ACTIONS } from './access'
import { ERROR_STATUS, isErrorName, SignerError, SignerErrorName } from './errors'
import { validPrincipal } from './permission-rules'
import type { JobPlan } from './state'

export type Fault =
  /** 429 TooManyRequestsException. */
  | { type: 'throttle'; operation: string; count?: number; message?: string }
  /** 500 InternalServiceErrorException. */
  | { type: 'serverError'; operation: string; count?: number; message?: string }
  /** Any error by name (status defaults to the error's own). */
  | {
      type: 'error'
      operation: string
      errorType: SignerErrorName
      status?: number
      count?: number
      message?: string
    }
  /** Adds `ms` before the operation answers. */
  | { type: 'latency'; operation: string; ms: number; count?: number }
  /** Jobs started with this profile end Failed with statusReason. */
  | { type: 'failJobs'; profileName: string; statusReason?: string; count?: number }
  /** Jobs started with this profile (every profile when absent) stay InProgress forever. */
  | { type: 'hangJobs'; profileName?: string; count?: number }
  /**
   * Right after a ListProfilePermissions of this profile answers, someone else changes its policy: the
   * permission is added, or the statement `removeStatementId` removed (or, without either, the policy just
   * gets a new revisionId), so the revisionId the caller has just read is stale. How a test puts a
   * concurrent change between a read and a write.
   */
  | {
      type: 'changePolicy'
      profileName: string
      permission?: ConcurrentPermission
      removeStatementId?: string
      count?: number
    }

/** The permission a changePolicy fault adds, as AddProfilePermission would take it. */
export interface ConcurrentPermission {
  statementId: string
  principal: string
  action: string
  profileVersion?: string
}

export type StoredFault = Fault & { id: string; remaining?: number }

const OPERATION = /^(\*|[A-Z][A-Za-z]*)$/

/** Checks a fault as the admin API receives it (JSON); throws an Error that says what is wrong. */
export function parseFault(value: unknown): Fault {
  if (!value || typeof value !== 'object') throw new Error('a fault must be a JSON object')
  const fault = value as Record<string, unknown>
  const count = fault.count
  if (count !== undefined && (typeof count !== 'number' || !Number.isInteger(count) || count < 1))
    throw new Error('count must be a positive integer when given')
  const needOperation = (): void => {
    if (typeof fault.operation !== 'string' || !OPERATION.test(fault.operation))
      throw new Error(
        `fault ${String(fault.type)} needs operation: an operation name such as StartSigningJob, or *`
      )
  }
  const needProfileName = (): void => {
    if (typeof fault.profileName !== 'string' || fault.profileName === '')
      throw new Error(`${String(fault.type)} needs profileName`)
  }
  const optionalString = (name: string): void => {
    if (fault[name] !== undefined && typeof fault[name] !== 'string')
      throw new Error(`${name} must be a string`)
  }
  switch (fault.type) {
    case 'throttle':
    case 'serverError':
      needOperation()
      optionalString('message')
      break
    case 'error':
      needOperation()
      optionalString('message')
      if (typeof fault.errorType !== 'string' || !isErrorName(fault.errorType))
        throw new Error(`errorType must be one of ${Object.keys(ERROR_STATUS).join(', ')}`)
      if (
        fault.status !== undefined &&
        (typeof fault.status !== 'number' || fault.status < 400 || fault.status > 599)
      )
        throw new Error('status must be an HTTP error status (400-599)')
      break
    case 'latency':
      needOperation()
      if (typeof fault.ms !== 'number' || !Number.isFinite(fault.ms) || fault.ms < 0 || fault.ms > 600000)
        throw new Error('ms must be a number of milliseconds between 0 and 600000')
      break
    case 'failJobs':
      needProfileName()
      optionalString('statusReason')
      break
    case 'hangJobs':
      optionalString('profileName')
      break
    case 'changePolicy':
      needProfileName()
      if (fault.permission !== undefined) parseConcurrentPermission(fault.permission)
      optionalString('removeStatementId')
      if (fault.permission !== undefined && fault.removeStatementId !== undefined)
        throw new Error('changePolicy takes permission or removeStatementId, not both')
      break
    default:
      throw new Error(
        'type must be one of throttle, serverError, error, latency, failJobs, hangJobs, changePolicy'
      )
  }
  return fault as unknown as Fault
}

function parseConcurrentPermission(value: unknown): void {
  const permission = (value ?? {}) as Record<string, unknown>
  if (typeof value !== 'object' || Array.isArray(value))
    throw new Error('permission must be an object {statementId, principal, action, profileVersion?}')
  for (const name of ['statementId', 'principal', 'action'])
    if (typeof permission[name] !== 'string' || permission[name] === '')
      throw new Error(`permission.${name} must be a non-empty string`)
  // AddProfilePermission refuses any other action: the other writer's change is one AWS could have made.
  if (!PROFILE_ACTIONS.includes(permission.action as (typeof PROFILE_ACTIONS)[number]))
    throw new Error(`permission.action must be one of ${PROFILE_ACTIONS.join(', ')}`)
  if (!validPrincipal(permission.principal as string))
    throw new Error('permission.principal must be a 12-digit account id or an IAM role ARN')
  if (permission.profileVersion !== undefined && typeof permission.profileVersion !== 'string')
    throw new Error('permission.profileVersion must be a string')
}

export class FaultRegistry {
  private faults: StoredFault[] = []
  private nextId = 1

  add(fault: Fault): StoredFault {
    const stored: StoredFault = { ...fault, id: `fault-${this.nextId++}`, remaining: fault.count }
    this.faults.push(stored)
    return stored
  }

  list(): StoredFault[] {
    return this.faults.map(fault => ({ ...fault }))
  }

  clear(): void {
    this.faults = []
  }

  /** The error to answer an operation with, if a fault says so; consumes one use of it. */
  errorFor(operation: string): SignerError | undefined {
    const fault = this.take(
      f => (f.type === 'throttle' || f.type === 'serverError' || f.type === 'error') && matches(f, operation)
    )
    if (!fault) return undefined
    switch (fault.type) {
      case 'throttle':
        return new SignerError('TooManyRequestsException', fault.message ?? 'Rate exceeded')
      case 'serverError':
        return new SignerError(
          'InternalServiceErrorException',
          fault.message ?? 'An internal error occurred (injected)'
        )
      case 'error':
        return new SignerError(
          fault.errorType,
          fault.message ?? `${fault.errorType} (injected)`,
          fault.status
        )
      default:
        return undefined
    }
  }

  /** Milliseconds to add before an operation answers; consumes one use of each latency fault that applies. */
  latencyFor(operation: string): number {
    let total = 0
    for (const fault of this.faults.filter(f => f.type === 'latency' && matches(f, operation))) {
      if (fault.type === 'latency') total += fault.ms
      this.consume(fault)
    }
    return total
  }

  /** What a job started now with this profile will do. */
  planJob(profileName: string): JobPlan {
    const fail = this.take(f => f.type === 'failJobs' && f.profileName === profileName)
    if (fail && fail.type === 'failJobs')
      return { outcome: 'fail', statusReason: fail.statusReason ?? 'Signing failed (injected fault)' }
    const hang = this.take(
      f => f.type === 'hangJobs' && (f.profileName === undefined || f.profileName === profileName)
    )
    if (hang) return { outcome: 'hang' }
    return { outcome: 'succeed' }
  }

  /** The concurrent change to make after this profile's permissions were listed; consumes one use. */
  policyChangeAfterList(
    profileName: string
  ): { permission?: ConcurrentPermission; removeStatementId?: string } | undefined {
    const fault = this.take(f => f.type === 'changePolicy' && f.profileName === profileName)
    return fault && fault.type === 'changePolicy'
      ? { permission: fault.permission, removeStatementId: fault.removeStatementId }
      : undefined
  }

  private take(predicate: (fault: StoredFault) => boolean): StoredFault | undefined {
    const fault = this.faults.find(predicate)
    if (fault) this.consume(fault)
    return fault
  }

  private consume(fault: StoredFault): void {
    if (fault.remaining === undefined) return
    fault.remaining -= 1
    if (fault.remaining <= 0) this.faults = this.faults.filter(f => f !== fault)
  }
}

function matches(fault: { operation: string }, operation: string): boolean {
  return fault.operation === '*' || fault.operation === operation
}
