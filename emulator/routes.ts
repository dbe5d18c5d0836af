/**
 * Signer's REST routes (botocore's signer 2017-08-25 model, the same as @aws-sdk/client-signer's schema):
 * method + path template → operation name, with how each query parameter is typed.
 */
import { constraintError } from './validation'

export type QueryType = 'string' | 'integer' | 'boolean' | 'timestamp' | 'list'

export interface Route {
  operation: string
  method: 'GET' | 'PUT' | 'POST' | 'DELETE'
  /** `{name}` matches one segment, `{name+}` the rest of the path. */
  path: string
  query?: Record<string, QueryType>
  /** Whether the operation takes a JSON body. */
  body?: boolean
}

export const ROUTES: readonly Route[] = [
  { operation: 'ListSigningPlatforms', method: 'GET', path: '/signing-platforms', query: platformQuery() },
  { operation: 'GetSigningPlatform', method: 'GET', path: '/signing-platforms/{platformId}' },
  {
    operation: 'ListSigningProfiles',
    method: 'GET',
    path: '/signing-profiles',
    query: {
      includeCanceled: 'boolean',
      maxResults: 'integer',
      nextToken: 'string',
      platformId: 'string',
      statuses: 'list'
    }
  },
  { operation: 'PutSigningProfile', method: 'PUT', path: '/signing-profiles/{profileName}', body: true },
  {
    operation: 'GetSigningProfile',
    method: 'GET',
    path: '/signing-profiles/{profileName}',
    query: { profileOwner: 'string' }
  },
  { operation: 'CancelSigningProfile', method: 'DELETE', path: '/signing-profiles/{profileName}' },
  {
    operation: 'RevokeSigningProfile',
    method: 'PUT',
    path: '/signing-profiles/{profileName}/revoke',
    body: true
  },
  {
    operation: 'AddProfilePermission',
    method: 'POST',
    path: '/signing-profiles/{profileName}/permissions',
    body: true
  },
  {
    operation: 'ListProfilePermissions',
    method: 'GET',
    path: '/signing-profiles/{profileName}/permissions',
    query: { nextToken: 'string' }
  },
  {
    operation: 'RemoveProfilePermission',
    method: 'DELETE',
    path: '/signing-profiles/{profileName}/permissions/{statementId}',
    query: { revisionId: 'string' }
  },
  { operation: 'StartSigningJob', method: 'POST', path: '/signing-jobs', body: true },
  { operation: 'SignPayload', method: 'POST', path: '/signing-jobs/with-payload', body: true },
  {
    operation: 'ListSigningJobs',
    method: 'GET',
    path: '/signing-jobs',
    query: {
      status: 'string',
      platformId: 'string',
      requestedBy: 'string',
      maxResults: 'integer',
      nextToken: 'string',
      isRevoked: 'boolean',
      signatureExpiresBefore: 'timestamp',
      signatureExpiresAfter: 'timestamp',
      jobInvoker: 'string'
    }
  },
  { operation: 'DescribeSigningJob', method: 'GET', path: '/signing-jobs/{jobId}' },
  { operation: 'RevokeSignature', method: 'PUT', path: '/signing-jobs/{jobId}/revoke', body: true },
  {
    operation: 'GetRevocationStatus',
    method: 'GET',
    path: '/revocations',
    query: {
      signatureTimestamp: 'timestamp',
      platformId: 'string',
      profileVersionArn: 'string',
      jobArn: 'string',
      certificateHashes: 'list'
    }
  },
  { operation: 'TagResource', method: 'POST', path: '/tags/{resourceArn+}', body: true },
  { operation: 'UntagResource', method: 'DELETE', path: '/tags/{resourceArn+}', query: { tagKeys: 'list' } },
  { operation: 'ListTagsForResource', method: 'GET', path: '/tags/{resourceArn+}' }
]

function platformQuery(): Record<string, QueryType> {
  return {
    category: 'string',
    partner: 'string',
    target: 'string',
    maxResults: 'integer',
    nextToken: 'string'
  }
}

export interface RouteMatch {
  route: Route
  params: Record<string, string>
}

/** Finds the route for a request; undefined when none matches (an unknown operation). */
export function matchRoute(
  method: string,
  pathname: string,
  routes: readonly Route[] = ROUTES
): RouteMatch | undefined {
  const segments = splitPath(pathname)
  if (!segments) return undefined
  for (const route of routes) {
    if (route.method !== method) continue
    const params = matchTemplate(splitPath(route.path) ?? [], segments)
    if (params) return { route, params }
  }
  return undefined
}

function splitPath(pathname: string): string[] | undefined {
  const trimmed = pathname.replace(/\/+$/, '')
  const raw = trimmed === '' ? [] : trimmed.slice(1).split('/')
  try {
    return raw.map(segment => decodeURIComponent(segment))
  } catch {
    return undefined
  }
}

function matchTemplate(template: string[], segments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {}
  for (let i = 0; i < template.length; i++) {
    const part = template[i]
    const label = /^\{(\w+)(\+?)\}$/.exec(part)
    if (label && label[2] === '+') {
      const rest = segments.slice(i)
      if (rest.length === 0 || rest.join('/') === '') return undefined
      params[label[1]] = rest.join('/')
      return params
    }
    if (i >= segments.length) return undefined
    if (label) {
      if (segments[i] === '') return undefined
      params[label[1]] = segments[i]
    } else if (part !== segments[i]) return undefined
  }
  return template.length === segments.length ? params : undefined
}

/** Typed query members for a route; a value that does not parse is a ValidationException naming it. */
export function parseQuery(route: Route, query: URLSearchParams): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const [name, type] of Object.entries(route.query ?? {})) {
    const values = query.getAll(name)
    if (values.length === 0) continue
    const value = values[values.length - 1]
    switch (type) {
      case 'list':
        result[name] = values
        break
      case 'integer':
        if (!/^-?\d+$/.test(value)) throw constraintError(name, value, 'Member must be an integer')
        result[name] = Number(value)
        break
      case 'boolean':
        if (value !== 'true' && value !== 'false')
          throw constraintError(name, value, 'Member must be true or false')
        result[name] = value === 'true'
        break
      case 'timestamp':
        result[name] = parseQueryTime(name, value)
        break
      default:
        result[name] = value
    }
  }
  return result
}

/** Query-string timestamps arrive as ISO-8601 (both the JS SDK and botocore); epoch seconds are accepted too. */
export function parseQueryTime(name: string, value: string): Date {
  const date = /^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value)
  if (Number.isNaN(date.getTime()) || !/^\d|^\d{4}-/.test(value))
    throw constraintError(name, value, 'Member must be an ISO-8601 timestamp')
  return date
}
