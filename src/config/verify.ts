import * as path from 'node:path'
import { InputError } from '../errors'
import { InputReader, listInput, optionalString } from '../inputs'
import { relativeInside } from '../paths'
import { jobIdsInput } from './shared'
import { CommonConfig, TrustedProfile, VerifyConfig } from './types'

/**
 * A signing profile ARN, with or without its version, as a Lambda code signing configuration's allowed
 * publishers and Notation's trust policy name them: arn:PARTITION:signer:REGION:ACCOUNT:/signing-profiles/NAME[/VERSION].
 */
const PROFILE_ARN =
  /^(arn:aws[a-z-]*:signer:[a-z0-9-]+:\d{12}:\/signing-profiles\/[a-zA-Z0-9_]{2,64})(?:\/([a-zA-Z0-9]{10}))?$/

/**
 * Lambda's FunctionName pattern (the Lambda API reference, GetFunctionConfiguration): a name, a partial or
 * full ARN, each with an optional version or alias qualifier.
 */
const FUNCTION_NAME =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/

export function parseTrustedProfile(arn: string): TrustedProfile | undefined {
  const match = PROFILE_ARN.exec(arn)
  if (!match) return undefined
  return { arn, profileArn: match[1], ...(match[2] ? { profileVersion: match[2] } : {}) }
}

/**
 * trusted-profile: profile or profile version ARNs. A wildcard is refused, as AWS's own verifier (the Signer
 * plugin for Notation) refuses one in a trust policy: trusting every profile is leaving the input out.
 */
function trustedProfilesInput(read: InputReader): TrustedProfile[] | undefined {
  const arns = listInput(read, 'trusted-profile')
  if (arns.length === 0) return undefined
  return arns.map(arn => {
    if (arn.includes('*')) {
      throw new InputError(
        'trusted-profile',
        `'${arn}' is a wildcard: name each trusted signing profile (or profile version) by its ARN, ` +
          'or leave trusted-profile out to trust every profile'
      )
    }
    const trusted = parseTrustedProfile(arn)
    if (!trusted) {
      throw new InputError(
        'trusted-profile',
        `expected a signing profile ARN like arn:aws:signer:us-east-1:123456789012:/signing-profiles/NAME ` +
          `(optionally /VERSION), got '${arn}'`
      )
    }
    return trusted
  })
}

/** manifest: a file inside the workspace; it is read (and refused if unreadable) before any AWS call. */
function manifestInput(read: InputReader, workspace: string): string | undefined {
  const raw = optionalString(read, 'manifest')
  if (raw === undefined) return undefined
  const manifestPath = path.resolve(workspace, raw)
  if (relativeInside(workspace, manifestPath) === undefined) {
    throw new InputError('manifest', `must be a file inside the workspace ${workspace}, got '${raw}'`)
  }
  return manifestPath
}

function functionsInput(read: InputReader): VerifyConfig['functions'] {
  const names = listInput(read, 'lambda-function')
  if (names.length === 0) return undefined
  if (names.includes('*')) {
    if (names.length > 1) {
      throw new InputError('lambda-function', `'*' means every function of the Region: give it alone`)
    }
    return { kind: 'all' }
  }
  for (const name of names) {
    if (name.length > 170 || !FUNCTION_NAME.test(name)) {
      throw new InputError(
        'lambda-function',
        `expected a function name or ARN (optionally :VERSION or :ALIAS), or '*', got '${name}'`
      )
    }
  }
  return { kind: 'named', names }
}

export function buildVerifyConfig(
  read: InputReader,
  env: NodeJS.ProcessEnv
): Omit<VerifyConfig, keyof CommonConfig> {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd())
  const trustedProfiles = trustedProfilesInput(read)
  const manifestPath = manifestInput(read, workspace)
  const jobIds = jobIdsInput(read)
  const functions = functionsInput(read)
  if (!manifestPath && jobIds.length === 0 && !functions) {
    throw new InputError(
      'mode',
      'verify has nothing to verify: give manifest (the manifest.json of a sign run), job-id, or lambda-function'
    )
  }
  return { mode: 'verify', workspace, trustedProfiles, manifestPath, jobIds, functions }
}
