/**
 * The admin API under /__emulator/ (see emulator/README.md): settings, faults, the call log, a profile's
 * certificate, and reset. Plain JSON; errors are `{ "error": message }` with status 400 or 404.
 */
import * as crypto from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { CallLog } from './call-log'
import type { EmulatorSettings, Services } from './context'
import { parseFault } from './faults'
import { parseJsonObject, readBody, sendJson } from './http'
import { ACCOUNT_ID } from './validation'

export const ADMIN_PREFIX = '/__emulator'

export interface AdminContext {
  services: Services
  calls: CallLog
  url: () => string
  /** The settings the emulator started with, restored by reset. */
  initialSettings: EmulatorSettings
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

export async function handleAdmin(
  context: AdminContext,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL
): Promise<void> {
  try {
    const route = `${request.method} ${url.pathname.slice(ADMIN_PREFIX.length).replace(/\/+$/, '')}`
    const body = request.method === 'POST' || request.method === 'PUT' ? await readAdminBody(request) : {}
    sendJson(response, 200, await dispatch(context, route, body, url.searchParams))
  } catch (error) {
    const status = error instanceof AdminError ? error.status : 400
    sendJson(response, status, { error: (error as Error).message })
  }
}

async function readAdminBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  try {
    return parseJsonObject(await readBody(request))
  } catch (error) {
    throw new AdminError(400, (error as Error).message)
  }
}

async function dispatch(
  context: AdminContext,
  route: string,
  body: Record<string, unknown>,
  query: URLSearchParams
): Promise<unknown> {
  const { services, calls } = context
  switch (route) {
    case 'GET /health':
      return {
        status: 'ok',
        url: context.url(),
        region: services.settings.region,
        accountId: services.settings.accountId
      }
    case 'GET /config':
      return services.settings
    case 'POST /config':
      Object.assign(services.settings, parseSettings(body))
      return services.settings
    case 'GET /faults':
      return services.faults.list()
    case 'POST /faults':
      try {
        return services.faults.add(parseFault(body))
      } catch (error) {
        throw new AdminError(400, (error as Error).message)
      }
    case 'DELETE /faults':
      services.faults.clear()
      return {}
    case 'GET /calls':
      return calls.list(query.get('operation') ?? undefined)
    case 'DELETE /calls':
      calls.clear()
      return {}
    case 'GET /certificate':
      return certificate(services, query)
    case 'POST /expire-signature':
      return expireSignature(services, body)
    case 'POST /reset':
      services.runner.cancelAll()
      services.store.clear()
      services.faults.clear()
      calls.clear()
      Object.assign(services.settings, structuredClone(context.initialSettings))
      return {}
    default:
      throw new AdminError(404, `Unknown admin route ${route}; see emulator/README.md for the admin API.`)
  }
}

/** Validates a settings change: only known keys, each of the right type. */
export function parseSettings(body: Record<string, unknown>): Partial<EmulatorSettings> {
  const result: Partial<EmulatorSettings> = {}
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case 'jobDurationMs':
      case 'latencyMs':
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 3_600_000)
          throw new AdminError(400, `${key} must be a number of milliseconds between 0 and 3600000`)
        result[key] = value
        break
      case 'identities':
        result.identities = parseIdentities(value)
        break
      default:
        throw new AdminError(400, `Unknown setting ${key}: use jobDurationMs, latencyMs or identities`)
    }
  }
  return result
}

function parseIdentities(value: unknown): EmulatorSettings['identities'] {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new AdminError(400, 'identities must map access key ids to { accountId, arn? }')
  const identities: EmulatorSettings['identities'] = {}
  for (const [key, identity] of Object.entries(value as Record<string, unknown>)) {
    const { accountId, arn } = (identity ?? {}) as { accountId?: unknown; arn?: unknown }
    if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId))
      throw new AdminError(400, `identities.${key}.accountId must be a 12-digit account id`)
    if (arn !== undefined && typeof arn !== 'string')
      throw new AdminError(400, `identities.${key}.arn must be a string`)
    identities[key] = { accountId, ...(arn ? { arn } : {}) }
  }
  return identities
}

function certificate(services: Services, query: URLSearchParams): unknown {
  const profileName = query.get('profileName')
  if (!profileName) throw new AdminError(400, 'profileName is required')
  const owner = query.get('owner') ?? services.settings.accountId
  const profile = services.store.getProfile(owner, profileName)
  if (!profile) throw new AdminError(404, `No signing profile named ${profileName} in account ${owner}`)
  const certificate = new crypto.X509Certificate(profile.key.certificatePem)
  return {
    profileName,
    owner,
    profileVersion: profile.profileVersion,
    encryptionAlgorithm: profile.encryptionAlgorithm,
    hashAlgorithm: profile.hashAlgorithm,
    certificatePem: profile.key.certificatePem,
    publicKeyPem: certificate.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint256: certificate.fingerprint256
  }
}

/**
 * Moves a Succeeded job's signatureExpiresAt to `at` (epoch milliseconds, now when absent), so that a test
 * sees an expired signature without waiting out the shortest validity period Signer allows (one day).
 */
function expireSignature(services: Services, body: Record<string, unknown>): unknown {
  const { jobId, at } = body
  if (typeof jobId !== 'string') throw new AdminError(400, 'jobId is required')
  if (at !== undefined && (typeof at !== 'number' || !Number.isFinite(at)))
    throw new AdminError(400, 'at must be a time in epoch milliseconds')
  const job = services.store.getJob(jobId)
  if (!job) throw new AdminError(404, `No signing job with id ${jobId}`)
  if (job.status !== 'Succeeded')
    throw new AdminError(400, `Signing job ${jobId} is ${job.status}: it has no signature`)
  job.signatureExpiresAt = at ?? services.now()
  services.store.save()
  return { jobId, signatureExpiresAt: new Date(job.signatureExpiresAt).toISOString() }
}
