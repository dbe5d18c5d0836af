/** Signature validity periods: parsing as Signer accepts them, and the expiry they give. */
import { ValidityType } from './state'
import { constraintError, Input, readInteger, readObject, readString } from './validation'

export interface ValidityPeriod {
  value: number
  type: ValidityType
}

/** AWS's default and maximum: 135 months. */
export const DEFAULT_VALIDITY: ValidityPeriod = { value: 135, type: 'MONTHS' }
const MAX_MONTHS = 135

export function readValidityPeriod(input: Input): ValidityPeriod {
  const period = readObject(input, 'signatureValidityPeriod')
  if (!period) return DEFAULT_VALIDITY
  const path = 'signatureValidityPeriod'
  const type = readString(
    period,
    'type',
    { required: true, oneOf: ['DAYS', 'MONTHS', 'YEARS'] },
    `${path}.type`
  )
  const value = readInteger(period, 'value', { min: 1 }, `${path}.value`)
  if (value === undefined) throw constraintError(`${path}.value`, value, 'Member must not be null')
  const result = { value, type: type as ValidityType }
  const start = Date.UTC(2000, 0, 1)
  if (addValidity(start, result) > addValidity(start, { value: MAX_MONTHS, type: 'MONTHS' }))
    throw constraintError(path, result, `The signature validity period must not exceed ${MAX_MONTHS} months`)
  return result
}

/** `from` (epoch ms) plus the period, with calendar months and years in UTC. */
export function addValidity(from: number, period: ValidityPeriod): number {
  if (period.type === 'DAYS') return from + period.value * 86_400_000
  const date = new Date(from)
  const months = period.type === 'YEARS' ? period.value * 12 : period.value
  const day = date.getUTCDate()
  date.setUTCDate(1)
  date.setUTCMonth(date.getUTCMonth() + months)
  // Clamp to the month's last day: Jan 31 + 1 month is Feb 28/29, not Mar 3.
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate()
  date.setUTCDate(Math.min(day, lastDay))
  return date.getTime()
}
