/**
 * Input checks as Signer makes them, with its message format:
 * "1 validation error detected: Value 'x' at 'profileName' failed to satisfy constraint: ...".
 * Pure functions: they read a parsed request and return typed values or throw a ValidationException.
 */
import { validation } from './errors'

export type Input = Record<string, unknown>

export const PROFILE_NAME = /^[a-zA-Z0-9_]{2,64}$/
export const PROFILE_VERSION = /^[a-zA-Z0-9]{10}$/
export const ACCOUNT_ID = /^[0-9]{12}$/
export const TAG_KEY = /^(?!aws:)[a-zA-Z+-=._:/]+$/

function shown(value: unknown): string {
  if (value === undefined || value === null) return 'null'
  return `'${typeof value === 'string' ? value : JSON.stringify(value)}'`
}

export function constraintError(path: string, value: unknown, constraint: string): Error {
  return validation(
    `1 validation error detected: Value ${shown(value)} at '${path}' failed to satisfy constraint: ${constraint}`
  )
}

interface StringRule {
  required?: boolean
  pattern?: RegExp
  min?: number
  max?: number
  oneOf?: readonly string[]
}

export function readString(
  input: Input,
  field: string,
  rule: StringRule & { required: true },
  path?: string
): string
export function readString(input: Input, field: string, rule?: StringRule, path?: string): string | undefined
export function readString(
  input: Input,
  field: string,
  rule: StringRule = {},
  path = field
): string | undefined {
  const value = input[field]
  if (value === undefined || value === null) {
    if (rule.required) throw constraintError(path, value, 'Member must not be null')
    return undefined
  }
  if (typeof value !== 'string') throw constraintError(path, value, 'Member must be a string')
  if (rule.min !== undefined && value.length < rule.min)
    throw constraintError(path, value, `Member must have length greater than or equal to ${rule.min}`)
  if (rule.max !== undefined && value.length > rule.max)
    throw constraintError(path, value, `Member must have length less than or equal to ${rule.max}`)
  if (rule.pattern && !rule.pattern.test(value))
    throw constraintError(
      path,
      value,
      `Member must satisfy regular expression pattern: ${rule.pattern.source}`
    )
  if (rule.oneOf && !rule.oneOf.includes(value))
    throw constraintError(path, value, `Member must satisfy enum value set: [${rule.oneOf.join(', ')}]`)
  return value
}

export function readInteger(
  input: Input,
  field: string,
  rule: { min?: number; max?: number } = {},
  path = field
): number | undefined {
  const value = input[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw constraintError(path, value, 'Member must be an integer')
  if (rule.min !== undefined && value < rule.min)
    throw constraintError(path, value, `Member must have value greater than or equal to ${rule.min}`)
  if (rule.max !== undefined && value > rule.max)
    throw constraintError(path, value, `Member must have value less than or equal to ${rule.max}`)
  return value
}

export function readBoolean(input: Input, field: string, path = field): boolean | undefined {
  const value = input[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') throw constraintError(path, value, 'Member must be a boolean')
  return value
}

/** A timestamp as milliseconds since the epoch; the parsed request holds a Date (query) or seconds (body). */
export function readTime(input: Input, field: string, required: true, path?: string): number
export function readTime(input: Input, field: string, required?: boolean, path?: string): number | undefined
export function readTime(input: Input, field: string, required = false, path = field): number | undefined {
  const value = input[field]
  if (value === undefined || value === null) {
    if (required) throw constraintError(path, value, 'Member must not be null')
    return undefined
  }
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime()
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 1000)
  throw constraintError(path, value, 'Member must be a timestamp (epoch seconds)')
}

export function readObject(input: Input, field: string, required: true, path?: string): Input
export function readObject(input: Input, field: string, required?: boolean, path?: string): Input | undefined
export function readObject(input: Input, field: string, required = false, path = field): Input | undefined {
  const value = input[field]
  if (value === undefined || value === null) {
    if (required) throw constraintError(path, value, 'Member must not be null')
    return undefined
  }
  if (typeof value !== 'object' || Array.isArray(value))
    throw constraintError(path, value, 'Member must be a structure')
  return value as Input
}

export function readStringList(
  input: Input,
  field: string,
  rule: { required?: boolean; min?: number; max?: number; item?: StringRule } = {},
  path = field
): string[] | undefined {
  const value = input[field]
  if (value === undefined || value === null) {
    if (rule.required) throw constraintError(path, value, 'Member must not be null')
    return undefined
  }
  if (!Array.isArray(value)) throw constraintError(path, value, 'Member must be a list')
  if (rule.min !== undefined && value.length < rule.min)
    throw constraintError(path, value, `Member must have length greater than or equal to ${rule.min}`)
  if (rule.max !== undefined && value.length > rule.max)
    throw constraintError(path, value, `Member must have length less than or equal to ${rule.max}`)
  return value.map(
    (_, index) =>
      readString(value as unknown as Input, String(index), rule.item, `${path}.${index + 1}.member`) as string
  )
}

export function readStringMap(
  input: Input,
  field: string,
  rule: { required?: boolean; min?: number; max?: number; key?: StringRule; value?: StringRule } = {},
  path = field
): Record<string, string> | undefined {
  const map = readObject(input, field, rule.required, path)
  if (!map) return undefined
  const entries = Object.entries(map)
  if (rule.min !== undefined && entries.length < rule.min)
    throw constraintError(path, map, `Member must have length greater than or equal to ${rule.min}`)
  if (rule.max !== undefined && entries.length > rule.max)
    throw constraintError(path, map, `Member must have length less than or equal to ${rule.max}`)
  const result: Record<string, string> = {}
  for (const [key] of entries) {
    readString({ key }, 'key', rule.key, `${path}.${key}.key`)
    result[key] = readString(map, key, { ...rule.value, required: true }, `${path}.${key}.value`)
  }
  return result
}

export const readProfileName = (input: Input, field = 'profileName'): string =>
  readString(input, field, { required: true, min: 2, max: 64, pattern: PROFILE_NAME })

export const readProfileVersion = (
  input: Input,
  required: boolean,
  field = 'profileVersion'
): string | undefined => readString(input, field, { required, min: 10, max: 10, pattern: PROFILE_VERSION })

export const readAccountId = (input: Input, field: string): string | undefined =>
  readString(input, field, { min: 12, max: 12, pattern: ACCOUNT_ID })

export const readReason = (input: Input): string =>
  readString(input, 'reason', { required: true, min: 1, max: 500 })

export const readMaxResults = (input: Input): number | undefined =>
  readInteger(input, 'maxResults', { min: 1, max: 25 })

export const readTags = (input: Input, required = false): Record<string, string> | undefined =>
  readStringMap(input, 'tags', {
    required,
    min: 1,
    max: 200,
    key: { min: 1, max: 128, pattern: TAG_KEY },
    value: { max: 256 }
  })
