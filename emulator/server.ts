/**
 * The AWS Signer emulator: an HTTP server speaking Signer's REST API (restJson1) as @aws-sdk/client-signer
 * and the AWS CLI send it, plus the admin API under /__emulator/. See emulator/README.md.
 */
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { ADMIN_PREFIX, AdminContext, handleAdmin } from './admin'
import { EmulatorAdmin } from './admin-client'
import { CallLog } from './call-log'
import { EmulatorSettings, Services } from './context'
import { SignerError } from './errors'
import { FaultRegistry } from './faults'
import { parseJsonObject, readBody, sendError, sendJson } from './http'
import { identityFor } from './identity'
import { JobRunner } from './job-runner'
import { OPERATIONS } from './operations'
import { matchRoute, parseQuery } from './routes'
import { s3ObjectStore } from './s3'
import { StateStore } from './state'
import { RateLimits, Throttle } from './throttle'

export interface EmulatorOptions {
  /** 127.0.0.1 unless given. */
  host?: string
  /** 0 (the default) picks a free port. */
  port?: number
  /** The S3 endpoint holding sources and receiving signed objects. */
  s3Endpoint: string
  region?: string
  /** The account of callers whose access key is not mapped to another (admin `identities`). */
  accountId?: string
  jobDurationMs?: number
  /** Signer's per-account API quotas to enforce, in requests a second by operation (none by default). */
  rateLimits?: RateLimits
  /** Keep profiles, keys, jobs and tokens in this JSON file across restarts. */
  stateFile?: string
  /** Where the emulator logs failures; silent by default. */
  log?: (line: string) => void
}

export interface EmulatorHandle {
  url: string
  port: number
  admin: EmulatorAdmin
  close(): Promise<void>
}

export const DEFAULT_REGION = 'us-east-1'
export const DEFAULT_ACCOUNT_ID = '123456789012'
export const DEFAULT_JOB_DURATION_MS = 200

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

export async function startEmulator(options: EmulatorOptions): Promise<EmulatorHandle> {
  const settings: EmulatorSettings = {
    region: options.region ?? DEFAULT_REGION,
    accountId: options.accountId ?? DEFAULT_ACCOUNT_ID,
    jobDurationMs: options.jobDurationMs ?? DEFAULT_JOB_DURATION_MS,
    latencyMs: 0,
    identities: {},
    rateLimits: { ...options.rateLimits },
    jobListingOrder: 'newestFirst'
  }
  const initialSettings = structuredClone(settings)
  const store = new StateStore(options.stateFile)
  const objects = s3ObjectStore(options.s3Endpoint, settings.region)
  const now = (): number => Date.now()
  const runner = new JobRunner({ store, objects, region: settings.region, now, log: options.log })
  const throttle = new Throttle(() => settings.rateLimits, now)
  const services: Services = { settings, store, faults: new FaultRegistry(), throttle, objects, runner, now }
  const calls = new CallLog()
  let url = ''
  const admin: AdminContext = { services, calls, url: () => url, initialSettings }

  const server = http.createServer((request, response) => {
    void handle(services, calls, admin, request, response, options.log)
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  url = `http://${host}:${port}`
  runner.resumeAll()

  let closing: Promise<void> | undefined
  return {
    url,
    port,
    admin: new EmulatorAdmin(url),
    close: () =>
      (closing ??= (async () => {
        await runner.close()
        await new Promise<void>(resolve => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
        objects.destroy()
      })())
  }
}

async function handle(
  services: Services,
  calls: CallLog,
  admin: AdminContext,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  log?: (line: string) => void
): Promise<void> {
  const started = Date.now()
  const url = new URL(request.url ?? '/', 'http://emulator')
  if (url.pathname === ADMIN_PREFIX || url.pathname.startsWith(`${ADMIN_PREFIX}/`))
    return handleAdmin(admin, request, response, url)

  const caller = identityFor(services.settings, request.headers.authorization)
  const method = request.method ?? 'GET'
  const match = matchRoute(method, url.pathname)
  const operation = match?.route.operation ?? 'Unknown'
  let input: Record<string, unknown> = {}
  let status = 200
  let errorType: string | undefined
  try {
    const body = await readBody(request)
    if (!match)
      throw new SignerError(
        'UnknownOperationException',
        `No Signer operation matches ${method} ${url.pathname}.`
      )
    input = {
      ...(match.route.body ? parseJsonObject(body) : {}),
      ...parseQuery(match.route, url.searchParams),
      ...match.params
    }
    const delay = services.settings.latencyMs + services.faults.latencyFor(operation)
    if (delay > 0) await sleep(delay)
    const injected =
      services.faults.errorFor(operation) ?? services.throttle.check(caller.accountId, operation)
    if (injected) throw injected
    const output = await OPERATIONS[operation]({ caller, services }, input)
    sendJson(response, 200, output)
  } catch (caught) {
    const error =
      caught instanceof SignerError
        ? caught
        : new SignerError(
            'InternalServiceErrorException',
            `The emulator failed: ${(caught as Error).message}`
          )
    if (!(caught instanceof SignerError))
      log?.(`${operation} failed: ${(caught as Error).stack ?? String(caught)}`)
    status = error.status
    errorType = error.errorType
    if (!response.headersSent) sendError(response, error)
  } finally {
    calls.record({
      operation,
      input,
      status,
      ...(errorType ? { errorType } : {}),
      accountId: caller.accountId,
      time: new Date(started).toISOString(),
      durationMs: Date.now() - started
    })
  }
}
