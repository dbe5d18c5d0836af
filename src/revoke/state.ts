import {
  DescribeSigningJobCommandOutput,
  GetSigningProfileCommand,
  SignerClient
} from '@aws-sdk/client-signer'
import { mapLimit } from '../concurrency'
import { errorMessage } from '../errors'
import { describeJob, describedJob } from '../signer/describe-job'
import { JobState, JobTarget, ProfileState, ProfileTarget } from './types'

/** What DescribeSigningJob said, as the plan reads it (the reading verify mode makes too). */
export function describedState(job: DescribeSigningJobCommandOutput): JobState {
  return describedJob(job)
}

/** DescribeSigningJob for one job; an unknown job or any other error is remembered, not thrown. */
export function readJobState(signer: SignerClient, jobId: string): Promise<JobState> {
  return describeJob(signer, jobId)
}

/**
 * The state of every target, in the targets' order, with at most `concurrency` calls in flight. Jobs found
 * by the search already have theirs from the listing: a mass revocation makes half the calls.
 */
export function readJobStates(
  signer: SignerClient,
  targets: readonly JobTarget[],
  concurrency: number
): Promise<JobState[]> {
  return mapLimit(targets, concurrency, async target => target.listed ?? readJobState(signer, target.jobId))
}

/** GetSigningProfile: is the profile there, and is it already revoked? */
export async function readProfileState(signer: SignerClient, target: ProfileTarget): Promise<ProfileState> {
  try {
    const profile = await signer.send(new GetSigningProfileCommand({ profileName: target.profileName }))
    return {
      kind: 'found',
      status: profile.status,
      profileVersion: profile.profileVersion,
      platformId: profile.platformId,
      revocationEffectiveFrom: profile.revocationRecord?.revocationEffectiveFrom
    }
  } catch (error) {
    return { kind: 'error', error: errorMessage(error) }
  }
}
