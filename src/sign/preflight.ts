import { GetBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3'
import { GetSigningPlatformCommand, GetSigningProfileCommand, SignerClient } from '@aws-sdk/client-signer'
import { SignConfig } from '../config'
import { PreflightError, errorMessage } from '../errors'
import { Artifact } from './types'

export interface PreflightResult {
  platformId: string
  /** The platform's limit in bytes; undefined when the platform states none. */
  maxSizeBytes?: number
}

type PreflightConfig = Pick<
  SignConfig,
  'profileName' | 'profileOwner' | 'sourceBucket' | 'expectedBucketOwner' | 'region'
>

/**
 * Step 2, before any upload or job: the profile is Active, every artifact fits the platform's size limit,
 * and the source bucket keeps versions. Every problem found is reported at once, so one run shows them all.
 */
export async function preflight(
  config: PreflightConfig,
  artifacts: Artifact[],
  clients: { s3: S3Client; signer: SignerClient }
): Promise<PreflightResult> {
  const [profile, versioning] = await Promise.allSettled([
    explain(
      checkProfile(config, artifacts, clients.signer),
      `Could not check signing profile '${config.profileName}'`
    ),
    explain(
      checkVersioning(config, clients.s3),
      `Could not read the versioning of source-bucket '${config.sourceBucket}'`
    )
  ])
  const problems = [profile, versioning].flatMap(outcome =>
    outcome.status === 'rejected' ? [outcome.reason as unknown] : []
  )
  if (problems.length === 1) throw problems[0]
  if (problems.length > 1) {
    throw new PreflightError(problems.map(errorMessage).join('\n'), { cause: problems[0] })
  }
  return (profile as PromiseFulfilledResult<PreflightResult>).value
}

/** Keeps a PreflightError's own message; any other error (access denied, no such bucket) gets context. */
async function explain<T>(check: Promise<T>, context: string): Promise<T> {
  try {
    return await check
  } catch (error) {
    if (error instanceof PreflightError) throw error
    throw new PreflightError(`${context}: ${errorMessage(error)}`, { cause: error })
  }
}

async function checkProfile(
  config: PreflightConfig,
  artifacts: Artifact[],
  signer: SignerClient
): Promise<PreflightResult> {
  const owner = config.profileOwner ? ` owned by ${config.profileOwner}` : ''
  let profile
  try {
    profile = await signer.send(
      new GetSigningProfileCommand({ profileName: config.profileName, profileOwner: config.profileOwner })
    )
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') {
      throw new PreflightError(
        `Signing profile '${config.profileName}'${owner} was not found` +
          (config.profileOwner
            ? `: check the name, and that account ${config.profileOwner} shares it with this account (aws signer add-profile-permission)`
            : ': check the name and the region (aws signer list-signing-profiles)'),
        { cause: error }
      )
    }
    throw error
  }
  if (profile.status !== 'Active') {
    const reason = profile.statusReason ? ` (${profile.statusReason})` : ''
    throw new PreflightError(
      `Signing profile '${config.profileName}'${owner} is ${profile.status ?? 'in an unknown state'}${reason}, ` +
        'not Active: it can no longer start signing jobs; use an Active profile'
    )
  }
  const platformId = profile.platformId
  if (!platformId) throw new PreflightError(`Signing profile '${config.profileName}' names no platform`)

  const platform = await signer.send(new GetSigningPlatformCommand({ platformId }))
  const maxSizeInMB = platform.maxSizeInMB
  const maxSizeBytes = maxSizeInMB === undefined || maxSizeInMB <= 0 ? undefined : maxSizeInMB * 1024 * 1024
  const tooBig = maxSizeBytes === undefined ? [] : artifacts.filter(a => a.size > maxSizeBytes)
  if (tooBig.length > 0) {
    const list = tooBig.map(a => `${a.relativePath} (${formatBytes(a.size)}, ${a.size} bytes)`).join(', ')
    throw new PreflightError(
      `Platform ${platformId} signs files of at most ${maxSizeInMB} MB (${maxSizeBytes} bytes); too big: ${list}`
    )
  }
  return { platformId, maxSizeBytes }
}

async function checkVersioning(config: PreflightConfig, s3: S3Client): Promise<void> {
  const versioning = await s3.send(
    new GetBucketVersioningCommand({
      Bucket: config.sourceBucket,
      ExpectedBucketOwner: config.expectedBucketOwner
    })
  )
  if (versioning.Status !== 'Enabled') {
    const region = config.region ? ` --region ${config.region}` : ''
    throw new PreflightError(
      `source-bucket '${config.sourceBucket}' has versioning ${versioning.Status ?? 'never enabled'}: ` +
        'Signer signs an exact object version, so versioning must be Enabled. Enable it with ' +
        `\`aws s3api put-bucket-versioning --bucket ${config.sourceBucket} ` +
        `--versioning-configuration Status=Enabled${region}\``
    )
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}
