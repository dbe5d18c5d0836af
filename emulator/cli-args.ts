/** The emulator CLI's arguments, parsed strictly: an unknown flag or a bad number is an error naming it. */
import type { EmulatorOptions } from './server'
import { parseRateLimitArg } from './throttle'

export const USAGE = `Usage: npm run emulator -- --s3-endpoint URL [options]

  --s3-endpoint URL        S3 endpoint holding sources and receiving signed objects (required)
  --port N                 port on 127.0.0.1 (default 4566; 0 picks a free one)
  --host HOST              address to bind (default 127.0.0.1)
  --region REGION          region in ARNs (default us-east-1)
  --account-id ID          the emulated account, 12 digits (default 123456789012)
  --job-duration-ms N      how long signing jobs stay InProgress (default 200)
  --state FILE             keep profiles, keys and jobs in FILE across restarts
  --rate-limit OP=N        at most N OP requests a second per account, as Signer's quotas (repeatable)
  --help                   show this help`

export type CliCommand = { help: true } | { help: false; options: EmulatorOptions }

export function parseCliArgs(argv: readonly string[]): CliCommand {
  const options: Partial<EmulatorOptions> & { port: number } = { port: 4566 }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--help' || arg === '-h') return { help: true }
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined]
    const value = (): string => {
      const next = inline ?? argv[++i]
      if (next === undefined || (inline === undefined && next.startsWith('--')))
        throw new Error(`${flag} needs a value`)
      return next
    }
    const integer = (min: number, max: number): number => {
      const text = value()
      if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max)
        throw new Error(`${flag} must be an integer from ${min} to ${max}, got '${text}'`)
      return Number(text)
    }
    switch (flag) {
      case '--s3-endpoint': {
        const url = value()
        if (!/^https?:\/\/[^/]+/.test(url))
          throw new Error(`--s3-endpoint must be an http(s) URL, got '${url}'`)
        options.s3Endpoint = url
        break
      }
      case '--port':
        options.port = integer(0, 65535)
        break
      case '--host':
        options.host = value()
        break
      case '--region': {
        const region = value()
        if (!/^[a-z]{2}(-[a-z0-9]+)+-\d+$/.test(region))
          throw new Error(`--region must look like us-east-1, got '${region}'`)
        options.region = region
        break
      }
      case '--account-id': {
        const account = value()
        if (!/^\d{12}$/.test(account)) throw new Error(`--account-id must be 12 digits, got '${account}'`)
        options.accountId = account
        break
      }
      case '--job-duration-ms':
        options.jobDurationMs = integer(0, 3_600_000)
        break
      case '--state':
        options.stateFile = value()
        break
      case '--rate-limit': {
        const [operation, rate] = parseRateLimitArg(value())
        options.rateLimits = { ...options.rateLimits, [operation]: rate }
        break
      }
      default:
        throw new Error(`unknown option ${flag}`)
    }
  }
  if (!options.s3Endpoint) throw new Error('--s3-endpoint is required (for example http://127.0.0.1:5000)')
  return { help: false, options: options as EmulatorOptions }
}
