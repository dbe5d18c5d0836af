import {
  DescribeSigningJobCommand,
  DescribeSigningJobCommandOutput,
  SignerClient,
  StartSigningJobCommand
} from '@aws-sdk/client-signer'
import { JobState, SourceObject } from './types'

export interface JobRequest {
  source: SourceObject
  destinationBucket: string
  destinationPrefix: string
  profileName: string
  profileOwner?: string
  clientRequestToken: string
}

/** Signer is idempotent on the token: the same token gives back the job it already started. */
export async function startSigningJob(signer: SignerClient, request: JobRequest): Promise<JobState> {
  const started = await signer.send(
    new StartSigningJobCommand({
      source: {
        s3: { bucketName: request.source.bucket, key: request.source.key, version: request.source.versionId }
      },
      destination: { s3: { bucketName: request.destinationBucket, prefix: request.destinationPrefix } },
      profileName: request.profileName,
      profileOwner: request.profileOwner,
      clientRequestToken: request.clientRequestToken
    })
  )
  if (!started.jobId) throw new Error('StartSigningJob returned no jobId')
  return { jobId: started.jobId, jobOwner: started.jobOwner, status: 'InProgress' }
}

export function jobState(described: DescribeSigningJobCommandOutput, jobId: string): JobState {
  const s3 = described.signedObject?.s3
  return {
    jobId: described.jobId ?? jobId,
    jobOwner: described.jobOwner,
    status: described.status ?? 'InProgress',
    statusReason: described.statusReason,
    createdAt: described.createdAt,
    signatureExpiresAt: described.signatureExpiresAt,
    signedObject: s3?.bucketName && s3.key ? { bucket: s3.bucketName, key: s3.key } : undefined,
    sourceBucket: described.source?.s3?.bucketName,
    sourceKey: described.source?.s3?.key,
    sourceVersion: described.source?.s3?.version,
    profileName: described.profileName,
    completedAt: described.completedAt,
    requestedBy: described.requestedBy,
    jobInvoker: described.jobInvoker,
    profileVersion: described.profileVersion,
    platformId: described.platformId
  }
}

export async function describeSigningJob(signer: SignerClient, jobId: string): Promise<JobState> {
  return jobState(await signer.send(new DescribeSigningJobCommand({ jobId })), jobId)
}
