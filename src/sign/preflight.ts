import { GetBucketVersioningCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3'
import { GetSigningPlatformCommand, GetSigningProfileCommand, SignerClient } from '@aws-sdk/client-signer'
import { SignConfig } from '../config'
import { PreflightError, errorMessage, httpStatusOf, responseHeadersOf } from '../errors'
import { LAMBDA_PLATFORM, checkLambdaZips } from './lambda-zip'
import { Artifact } from './types'

/** Container images: signed through SignPayload (Notation), never by StartSigningJob. */
const NOTATION_PLATFORM = 'Notation-OCI-SHA384-ECDSA'

export interface PreflightResult {
  /** Undefined when the profile could not be read (a shared profile without signer:GetSigningProfile). */
  platformId?: string
  /** The profile's current version: the one a job this run starts signs with. Undefined when not read. */
  profileVersion?: string
  /** The platform's limit in bytes; undefined when the platform states none or is not known. */
  maxSizeBytes?: number
  /** What was checked, for the log. */
  checked: string[]
  /** What could not be checked, and why signing goes on anyway. */
  warnings: string[]
}

type PreflightConfig = Pick<
  SignConfig,
  'profileName' | 'profileOwner' | 'sourceBucket' | 'destinationBucket' | 'expectedBucketOwner' | 'region'
>

interface Check {
  checked?: string
  warning?: string
}

/**
 * Step 2, before any upload or job: no artifact is empty, the profile is Active, every artifact fits the
 * platform's size limit, both buckets are in the profile's Region, and the source bucket keeps versions.
 * Every problem found is reported at once, so one run shows them all.
 */
export async function preflight(
  config: PreflightConfig,
  artifacts: Artifact[],
  clients: { s3: S3Client; signer: SignerClient }
): Promise<PreflightResult> {
  const [empty, profile, source, destination] = await Promise.allSettled([
    checkNotEmpty(artifacts),
    explain(
      checkProfile(config, artifacts, clients.signer),
      `Could not check signing profile '${config.profileName}'`
    ),
    checkSourceBucket(config, clients.s3),
    config.destinationBucket === config.sourceBucket
      ? Promise.resolve<Check>({})
      : checkBucketRegion('destination-bucket', config.destinationBucket, config, clients.s3)
  ])
  const outcomes = [empty, profile, source, destination]
  const problems = outcomes.flatMap(outcome =>
    outcome.status === 'rejected' ? [outcome.reason as unknown] : []
  )
  if (problems.length === 1) throw problems[0]
  if (problems.length > 1) {
    throw new PreflightError(problems.map(errorMessage).join('\n'), { cause: problems[0] })
  }
  const checks = outcomes.flatMap(outcome => (outcome.status === 'fulfilled' ? [outcome.value] : []))
  const { platformId, profileVersion, maxSizeBytes } = (profile as PromiseFulfilledResult<ProfileCheck>).value
  return {
    platformId,
    profileVersion,
    maxSizeBytes,
    checked: checks.flatMap(check => (check.checked ? [check.checked] : [])),
    warnings: checks.flatMap(check => (check.warning ? [check.warning] : []))
  }
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

/** Signer fails the job of an empty file (a Lambda zip with no entries): refuse it here, by name. */
async function checkNotEmpty(artifacts: Artifact[]): Promise<Check> {
  const empty = artifacts.filter(artifact => artifact.size === 0)
  if (empty.length > 0) {
    throw new PreflightError(
      `Empty artifact${empty.length === 1 ? '' : 's'} (0 bytes): ${empty.map(a => a.relativePath).join(', ')}; ` +
        'Signer cannot sign an empty file: check the build step that writes it'
    )
  }
  return {}
}

interface ProfileCheck extends Check {
  platformId?: string
  profileVersion?: string
  maxSizeBytes?: number
}

async function checkProfile(
  config: PreflightConfig,
  artifacts: Artifact[],
  signer: SignerClient
): Promise<ProfileCheck> {
  const owner = config.profileOwner ? ` owned by ${config.profileOwner}` : ''
  let profile
  try {
    profile = await signer.send(
      new GetSigningProfileCommand({ profileName: config.profileName, profileOwner: config.profileOwner })
    )
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') {
      throw new PreflightError(
        `Signing profile '${config.profileName}'${owner} was not found in ${config.region ?? 'the Region of the credentials'}` +
          (config.profileOwner
            ? `: check the name, aws-region, and that account ${config.profileOwner} shares it with this account (aws signer add-profile-permission)`
            : `: check the name, and aws-region (a profile lives in one Region): aws signer list-signing-profiles${config.region ? ` --region ${config.region}` : ''}`),
        { cause: error }
      )
    }
    if (config.profileOwner && error instanceof Error && error.name === 'AccessDeniedException') {
      // signer:GetSigningProfile and signer:StartSigningJob are granted separately (AddProfilePermission):
      // an owner may share only the right to sign. StartSigningJob then says whether signing is allowed.
      return {
        warning:
          `Cannot read signing profile '${config.profileName}'${owner} (GetSigningProfile: ${errorMessage(error)}); ` +
          'signing goes on, since the owner may grant signer:StartSigningJob alone. Not checked: that the profile ' +
          "is Active (StartSigningJob refuses it otherwise) and that the artifacts fit its platform's size limit " +
          '(Signer fails the job of a file too big). Ask the owner to add a signer:GetSigningProfile permission ' +
          'for this account to have both checked before any upload.'
      }
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
  if (platformId === NOTATION_PLATFORM) {
    // AddProfilePermission's action list: "signer:StartSigningJob. This action isn't supported for container
    // image workflows."
    throw new PreflightError(
      `Signing profile '${config.profileName}'${owner} is on platform ${platformId}, which signs container ` +
        'images with Notation (SignPayload): StartSigningJob does not sign files with it. Use a profile on ' +
        `${LAMBDA_PLATFORM} or an IoT platform, and sign images with notation and the AWS Signer plugin`
    )
  }

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
  if (platformId === LAMBDA_PLATFORM) await checkLambdaZips(platformId, artifacts)
  return {
    platformId,
    profileVersion: profile.profileVersion,
    maxSizeBytes,
    checked:
      `profile Active on ${platformId}${maxSizeInMB ? `, sizes within ${maxSizeInMB} MB` : ''}` +
      (platformId === LAMBDA_PLATFORM ? ', zip files with entries' : '')
  }
}

async function checkSourceBucket(config: PreflightConfig, s3: S3Client): Promise<Check> {
  const region = await checkBucketRegion('source-bucket', config.sourceBucket, config, s3)
  await explain(
    checkVersioning(config, s3),
    `Could not read the versioning of source-bucket '${config.sourceBucket}'`
  )
  return { ...region, checked: [region.checked, 'source bucket versioned'].filter(Boolean).join(', ') }
}

/**
 * StartSigningJob: "You must ensure the S3 buckets are from the same Region as the signing profile.
 * Cross-Region signing isn't supported." HeadBucket returns the bucket's Region in x-amz-bucket-region
 * whether access is authorized or not (S3's HeadBucket and GetBucketLocation pages), so the header is read
 * from an error too; without it (an S3-compatible server), the Region is not checked and a warning says so.
 */
async function checkBucketRegion(
  input: 'source-bucket' | 'destination-bucket',
  bucket: string,
  config: PreflightConfig,
  s3: S3Client
): Promise<Check> {
  const profileRegion = config.region
  if (!profileRegion) return {}
  let bucketRegion: string | undefined
  try {
    const head = await s3.send(
      new HeadBucketCommand({ Bucket: bucket, ExpectedBucketOwner: config.expectedBucketOwner })
    )
    bucketRegion = head.BucketRegion
  } catch (error) {
    bucketRegion = responseHeadersOf(error)?.['x-amz-bucket-region']
    if (httpStatusOf(error) === 404) {
      throw new PreflightError(
        `${input} '${bucket}' does not exist (${errorMessage(error)}): check the name and aws-region`,
        { cause: error }
      )
    }
    if (!bucketRegion) {
      return {
        warning:
          `Could not read the Region of ${input} '${bucket}' (HeadBucket: ${errorMessage(error)}); ` +
          `Signer signs only with buckets in the profile's Region (${profileRegion})`
      }
    }
  }
  if (!bucketRegion) {
    return {
      warning: `S3 did not say the Region of ${input} '${bucket}'; Signer signs only with buckets in ${profileRegion}`
    }
  }
  if (bucketRegion !== profileRegion) {
    throw new PreflightError(
      `${input} '${bucket}' is in ${bucketRegion}, but signing profile '${config.profileName}' is in ` +
        `${profileRegion} (aws-region): Signer does not sign across Regions. Use a bucket in ${profileRegion}, ` +
        `or a profile in ${bucketRegion} with aws-region: ${bucketRegion}`
    )
  }
  return { checked: `${input} in ${bucketRegion}` }
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
      `source-bucket '${config.sourceBucket}' ${versioning.Status ? `has versioning ${versioning.Status}` : 'has never had versioning enabled'}: ` +
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
