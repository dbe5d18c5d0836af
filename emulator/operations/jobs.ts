/** StartSigningJob, DescribeSigningJob, ListSigningJobs, RevokeSignature. */
import * as crypto from 'node:crypto'
import { allows, profileFor } from '../access'
import { compact, Handler, Output, seconds, Services } from '../context'
import { accessDenied, notFound, SignerError, validation } from '../errors'
import { filterScope, JobFilter, jobMatches } from '../filters'
import { newestFirstKey, oldestFirstKey, paginate } from '../pagination'
import { findPlatform, NOTATION_PLATFORM } from '../platforms'
import { JobRecord, JobStatus } from '../state'
import {
  Input,
  readAccountId,
  readBoolean,
  readMaxResults,
  readObject,
  readProfileName,
  readReason,
  readString,
  readTime
} from '../validation'

const JOB_STATUSES: JobStatus[] = ['InProgress', 'Failed', 'Succeeded']

function readSource(input: Input): JobRecord['source'] {
  const source = readObject(input, 'source', true)
  const s3 = readObject(source, 's3', true, 'source.s3')
  return {
    bucketName: readString(s3, 'bucketName', { required: true, min: 1 }, 'source.s3.bucketName'),
    key: readString(s3, 'key', { required: true, min: 1 }, 'source.s3.key'),
    version: readString(s3, 'version', { required: true, min: 1 }, 'source.s3.version')
  }
}

function readDestination(input: Input): JobRecord['destination'] {
  const destination = readObject(input, 'destination', true)
  const s3 = readObject(destination, 's3', true, 'destination.s3')
  return {
    bucketName: readString(s3, 'bucketName', { required: true, min: 1 }, 'destination.s3.bucketName'),
    prefix: readString(s3, 'prefix', {}, 'destination.s3.prefix') ?? ''
  }
}

/**
 * StartSigningJob's documented requirements: "Your S3 source bucket must be version enabled" and "You must
 * ensure the S3 buckets are from the same Region as the signing profile. Cross-Region signing isn't
 * supported." AWS documents no error for either; ValidationException is the closest of the operation's
 * errors (the request names buckets Signer cannot use). A destination that does not exist is left to the
 * job, which fails writing to it, as before.
 */
async function checkBuckets(
  services: Services,
  source: JobRecord['source'],
  destination: JobRecord['destination'],
  profileName: string
): Promise<void> {
  const profileRegion = services.settings.region
  const [sourceRegion, destinationRegion, versioning] = await Promise.all([
    services.objects.bucketRegion(source.bucketName),
    destination.bucketName === source.bucketName
      ? undefined
      : services.objects.bucketRegion(destination.bucketName),
    services.objects.versioning(source.bucketName)
  ]).catch((error: unknown) => {
    throw new SignerError(
      'InternalServiceErrorException',
      `Could not read the buckets from S3: ${(error as Error).message}`
    )
  })
  for (const [role, bucket, region] of [
    ['source', source.bucketName, sourceRegion],
    ['destination', destination.bucketName, destinationRegion]
  ] as const) {
    if (region !== undefined && region !== profileRegion)
      throw validation(
        `The ${role} bucket ${bucket} is in ${region} and the signing profile ${profileName} in ` +
          `${profileRegion}: the S3 buckets must be in the same Region as the signing profile. ` +
          "Cross-Region signing isn't supported."
      )
  }
  if (sourceRegion !== undefined && versioning !== 'Enabled')
    throw validation(
      `The source bucket ${source.bucketName} must be version enabled (its versioning is ` +
        `${versioning ?? 'not enabled'}).`
    )
}

export const startSigningJob: Handler = async ({ caller, services }, input) => {
  const source = readSource(input)
  const destination = readDestination(input)
  const profileName = readProfileName(input)
  const clientRequestToken = readString(input, 'clientRequestToken', { required: true, min: 1, max: 64 })
  const profileOwner = readAccountId(input, 'profileOwner')
  const tokenKey = `${caller.accountId}/${clientRequestToken}`

  const earlier = services.store.jobForToken(tokenKey)
  if (earlier) return { jobId: earlier.jobId, jobOwner: earlier.jobOwner }

  const profile = profileFor(services.store, caller, profileName, profileOwner, 'signer:StartSigningJob')
  if (profile.status !== 'Active')
    throw validation(
      `The signing profile ${profileName} is ${profile.status}: only an Active profile can start signing jobs.`
    )
  // AddProfilePermission: "signer:StartSigningJob. This action isn't supported for container image
  // workflows." AWS's answer to the job itself is not published; AddProfilePermission's for the same rule is
  // a ValidationException "Action signer:StartSigningJob not supported for platform Notation-OCI-SHA384-ECDSA"
  // (reported by a Terraform provider user), and this follows it.
  if (profile.platformId === NOTATION_PLATFORM)
    throw validation(
      `StartSigningJob not supported for platform ${NOTATION_PLATFORM}: container images are signed with ` +
        'SignPayload (Notation and the AWS Signer plugin).'
    )
  // The bucket checks and the source's HeadObject are independent reads: one S3 round trip, not two. A
  // bucket refused by checkBuckets is still the error the caller sees, before a missing source version.
  const [, size] = await Promise.all([
    checkBuckets(services, source, destination, profileName),
    services.objects.sizeOf(source.bucketName, source.key, source.version).catch((error: unknown) => {
      throw new SignerError(
        'InternalServiceErrorException',
        `Could not read the source object from S3: ${(error as Error).message}`
      )
    })
  ])
  if (size === undefined)
    throw validation(
      `The source object s3://${source.bucketName}/${source.key} version ${source.version} does not exist ` +
        'or is not readable.'
    )
  // The same token may have started a job while S3 answered.
  const raced = services.store.jobForToken(tokenKey)
  if (raced) return { jobId: raced.jobId, jobOwner: raced.jobOwner }

  const platform = findPlatform(profile.platformId)
  const now = services.now()
  const job: JobRecord = {
    jobId: crypto.randomUUID(),
    jobOwner: profile.owner,
    jobInvoker: caller.accountId,
    requestedBy: caller.arn,
    clientRequestToken,
    profileName: profile.profileName,
    profileVersion: profile.profileVersion,
    platformId: profile.platformId,
    platformDisplayName: platform?.displayName ?? profile.platformId,
    source,
    destination,
    ...(profile.overrides ? { overrides: profile.overrides } : {}),
    ...(profile.signingParameters ? { signingParameters: profile.signingParameters } : {}),
    ...(profile.signingMaterial ? { signingMaterial: profile.signingMaterial } : {}),
    encryptionAlgorithm: profile.encryptionAlgorithm,
    hashAlgorithm: profile.hashAlgorithm,
    signingImageFormat: profile.signingImageFormat,
    createdAt: now,
    sequence: services.store.nextJobSequence(),
    dueAt: now + services.settings.jobDurationMs,
    plan: services.faults.planJob(profile.profileName),
    status: 'InProgress'
  }
  services.store.putJob(job, tokenKey)
  services.runner.schedule(job)
  return { jobId: job.jobId, jobOwner: job.jobOwner }
}

function visibleJob(services: Services, accountId: string, jobId: string): JobRecord {
  const job = services.store.getJob(jobId)
  if (!job || (job.jobOwner !== accountId && job.jobInvoker !== accountId))
    throw notFound(`No signing job with id ${jobId}.`)
  return job
}

export const describeSigningJob: Handler = ({ caller, services }, input) => {
  const jobId = readString(input, 'jobId', { required: true, min: 1 })
  const job = visibleJob(services, caller.accountId, jobId)
  return compact({
    jobId: job.jobId,
    source: { s3: job.source },
    signingMaterial: job.signingMaterial,
    platformId: job.platformId,
    platformDisplayName: job.platformDisplayName,
    profileName: job.profileName,
    profileVersion: job.profileVersion,
    overrides: job.overrides,
    signingParameters: job.signingParameters,
    createdAt: seconds(job.createdAt),
    completedAt: job.completedAt === undefined ? undefined : seconds(job.completedAt),
    signatureExpiresAt: job.signatureExpiresAt === undefined ? undefined : seconds(job.signatureExpiresAt),
    requestedBy: job.requestedBy,
    status: job.status,
    statusReason: job.statusReason,
    revocationRecord: job.revocation
      ? {
          reason: job.revocation.reason,
          revokedAt: seconds(job.revocation.revokedAt),
          revokedBy: job.revocation.revokedBy
        }
      : undefined,
    signedObject: job.signedObject ? { s3: job.signedObject } : undefined,
    jobOwner: job.jobOwner,
    jobInvoker: job.jobInvoker
  })
}

export function readJobFilter(input: Input): JobFilter {
  const status = readString(input, 'status', { oneOf: JOB_STATUSES }) as JobStatus | undefined
  return {
    status,
    platformId: readString(input, 'platformId'),
    requestedBy: readString(input, 'requestedBy'),
    isRevoked: readBoolean(input, 'isRevoked'),
    signatureExpiresBefore: readTime(input, 'signatureExpiresBefore'),
    signatureExpiresAfter: readTime(input, 'signatureExpiresAfter'),
    jobInvoker: readAccountId(input, 'jobInvoker')
  }
}

function jobSummary(job: JobRecord): Output {
  return compact({
    jobId: job.jobId,
    source: { s3: job.source },
    signedObject: job.signedObject ? { s3: job.signedObject } : undefined,
    signingMaterial: job.signingMaterial,
    createdAt: seconds(job.createdAt),
    status: job.status,
    isRevoked: job.revocation !== undefined,
    profileName: job.profileName,
    profileVersion: job.profileVersion,
    platformId: job.platformId,
    platformDisplayName: job.platformDisplayName,
    signatureExpiresAt: job.signatureExpiresAt === undefined ? undefined : seconds(job.signatureExpiresAt),
    jobOwner: job.jobOwner,
    jobInvoker: job.jobInvoker
  })
}

/** The caller's jobs (owned or invoked), newest first. */
export const listSigningJobs: Handler = ({ caller, services }, input) => {
  const filter = readJobFilter(input)
  const maxResults = readMaxResults(input) ?? 25
  const nextToken = readString(input, 'nextToken')
  const mine = services.store
    .listJobs()
    .filter(job => job.jobOwner === caller.accountId || job.jobInvoker === caller.accountId)
    .filter(job => jobMatches(job, filter))
  const order = services.settings.jobListingOrder === 'oldestFirst' ? oldestFirstKey : newestFirstKey
  const page = paginate(mine, job => order(job.createdAt, job.sequence, job.jobId), {
    maxResults,
    nextToken,
    scope: filterScope('ListSigningJobs', filter)
  })
  return compact({ jobs: page.items.map(jobSummary), nextToken: page.nextToken })
}

export const revokeSignature: Handler = ({ caller, services }, input) => {
  const jobId = readString(input, 'jobId', { required: true, min: 1 })
  const jobOwner = readAccountId(input, 'jobOwner')
  const reason = readReason(input)
  const job = services.store.getJob(jobId)
  if (!job || (jobOwner !== undefined && job.jobOwner !== jobOwner))
    throw notFound(`No signing job with id ${jobId}${jobOwner ? ` owned by ${jobOwner}` : ''}.`)
  if (job.jobOwner !== caller.accountId) {
    const profile = services.store.getProfile(job.jobOwner, job.profileName)
    if (!profile || !allows(profile, caller, 'signer:RevokeSignature')) {
      if (job.jobInvoker !== caller.accountId) throw notFound(`No signing job with id ${jobId}.`)
      throw accessDenied(
        `${caller.arn} is not authorized to perform signer:RevokeSignature on job ${jobId} owned by ${job.jobOwner}.`
      )
    }
  }
  const platform = findPlatform(job.platformId)
  if (platform && !platform.revocationSupported)
    throw validation(`Revocation is not supported for signing platform ${job.platformId}.`)
  if (job.status !== 'Succeeded')
    throw validation(
      `Signing job ${jobId} is ${job.status}: only the signature of a Succeeded job can be revoked.`
    )
  // Revoking again keeps the first revocation record.
  if (!job.revocation) {
    job.revocation = { reason, revokedAt: services.now(), revokedBy: caller.arn }
    services.store.save()
  }
  return {}
}
