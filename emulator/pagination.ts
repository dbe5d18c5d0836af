/**
 * Pagination as Signer's list operations do it: at most maxResults items and an opaque nextToken while more
 * remain. Items are ordered by a sort key; the token names the last key returned (and the query it belongs
 * to), so items added between pages neither repeat nor shift the next page.
 */
import { validation } from './errors'

export interface Page<T> {
  items: T[]
  nextToken?: string
}

interface TokenBody {
  after: string
  scope: string
}

export function encodeToken(body: TokenBody): string {
  return Buffer.from(JSON.stringify(body)).toString('base64url')
}

export function decodeToken(token: string, scope: string): TokenBody {
  let body: unknown
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    throw validation(`The nextToken '${token}' is not valid.`)
  }
  const parsed = body as Partial<TokenBody> | null
  if (!parsed || typeof parsed.after !== 'string' || typeof parsed.scope !== 'string')
    throw validation(`The nextToken '${token}' is not valid.`)
  if (parsed.scope !== scope)
    throw validation(
      'The nextToken does not belong to this request: pass the same filters as the first page.'
    )
  return parsed as TokenBody
}

/**
 * One page of `items` in ascending `sortKey` order. `scope` identifies the query (operation and filters):
 * a token from another query is a ValidationException.
 */
export function paginate<T>(
  items: readonly T[],
  sortKey: (item: T) => string,
  options: { maxResults: number; nextToken?: string; scope: string }
): Page<T> {
  const keyed = items
    .map(item => ({ item, key: sortKey(item) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const after =
    options.nextToken === undefined ? undefined : decodeToken(options.nextToken, options.scope).after
  const rest = after === undefined ? keyed : keyed.filter(entry => entry.key > after)
  const page = rest.slice(0, options.maxResults)
  const more = rest.length > page.length
  return {
    items: page.map(entry => entry.item),
    ...(more ? { nextToken: encodeToken({ after: page[page.length - 1].key, scope: options.scope }) } : {})
  }
}

/** A sort key that lists newer items first: inverted time, then inverted creation order, then the id. */
export function newestFirstKey(timeMs: number, sequence: number, id: string): string {
  const inverted = (n: number): string => String(Number.MAX_SAFE_INTEGER - n).padStart(16, '0')
  return `${inverted(timeMs)}/${inverted(sequence)}/${id}`
}

/** The other way round: older items first. AWS promises no order; a test uses this to show it relies on none. */
export function oldestFirstKey(timeMs: number, sequence: number, id: string): string {
  const padded = (n: number): string => String(n).padStart(16, '0')
  return `${padded(timeMs)}/${padded(sequence)}/${id}`
}
