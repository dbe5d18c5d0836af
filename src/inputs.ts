import { InputError } from './errors'

/** Reads one input as the runner passes it: trimmed, '' when unset. */
export type InputReader = (name: string) => string

export function optionalString(read: InputReader, name: string): string | undefined {
  const value = read(name).trim()
  return value === '' ? undefined : value
}

export function requiredString(read: InputReader, name: string, why: string): string {
  const value = optionalString(read, name)
  if (value === undefined) throw new InputError(name, `is required ${why}`)
  return value
}

/** Strict booleans: 'true' / 'false' (any case), nothing else; '' takes the default. */
export function booleanInput(read: InputReader, name: string, fallback: boolean): boolean {
  const value = read(name).trim().toLowerCase()
  if (value === '') return fallback
  if (value === 'true') return true
  if (value === 'false') return false
  throw new InputError(name, `expected 'true' or 'false', got '${read(name).trim()}'`)
}

/** Strict integers in [min, max]: '10abc', '1.5' and '' (without a default) are rejected. */
export function integerInput(
  read: InputReader,
  name: string,
  fallback: number,
  min: number,
  max: number
): number {
  const raw = read(name).trim()
  if (raw === '') return fallback
  if (!/^\d+$/.test(raw))
    throw new InputError(name, `expected a whole number from ${min} to ${max}, got '${raw}'`)
  const value = Number(raw)
  if (value < min || value > max) {
    throw new InputError(name, `expected a whole number from ${min} to ${max}, got ${value}`)
  }
  return value
}

/** Items separated by newlines or commas, trimmed, blanks dropped, duplicates removed in order. */
export function listInput(read: InputReader, name: string, separators: RegExp = /[\n,]/): string[] {
  const items = read(name)
    .split(separators)
    .map(item => item.trim())
    .filter(item => item !== '')
  return [...new Set(items)]
}

/** listInput for an input that, when given, must name at least one `item`: ' , ' is a mistake, not a list. */
export function nonEmptyListInput(read: InputReader, name: string, item: string): string[] {
  const items = listInput(read, name)
  if (items.length === 0 && read(name).trim() !== '') {
    throw new InputError(name, `lists no ${item} once commas, newlines and blanks are removed`)
  }
  return items
}

/** ISO-8601 with a date and a time and an explicit zone (Z, ±hh:mm or ±hhmm), or a date alone (midnight UTC). */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/

/** Date parsing rolls 2026-02-30 or 2026-04-31 over into the next month: reject days the month lacks. */
function isCalendarDate(raw: string): boolean {
  const [year, month, day] = raw.slice(0, 10).split('-').map(Number)
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
}

export function timeInput(read: InputReader, name: string): Date | undefined {
  const raw = optionalString(read, name)
  if (raw === undefined) return undefined
  // Date parses '+02:00' but not the compact '+0200'.
  const time =
    ISO_8601.test(raw) && isCalendarDate(raw)
      ? new Date(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
      : undefined
  if (time === undefined || Number.isNaN(time.getTime())) {
    throw new InputError(
      name,
      `expected an ISO-8601 time with a zone, like 2026-11-23T16:00:00Z or 2026-11-23, got '${raw}'`
    )
  }
  return time
}

const ACCOUNT_ID = /^\d{12}$/

export function accountIdInput(read: InputReader, name: string): string | undefined {
  const value = optionalString(read, name)
  if (value !== undefined && !ACCOUNT_ID.test(value)) {
    throw new InputError(name, `expected a 12-digit AWS account ID, got '${value}'`)
  }
  return value
}
