import { SignerClient } from '@aws-sdk/client-signer'
import { mapLimit } from '../concurrency'
import { profileVersionArn } from '../sign/provenance'
import { jobArn } from './arns'
import { readSignedFiles } from './files'
import { describeJob } from '../signer/describe-job'
import { readProfile, readRevocationStatus } from './signer-reads'
import { JobEvidence, JobRead, JobTarget, ProfileRead } from './types'

export interface GatherOptions {
  region: string
  concurrency: number
  /** Signing job ARNs as Lambda reports them, by job id: used instead of building one. */
  jobArns?: ReadonlyMap<string, string>
}

type FoundJob = Extract<JobRead, { kind: 'found' }>

/**
 * Everything the checks need, read once: each job (DescribeSigningJob), each distinct profile of those jobs
 * (GetSigningProfile, once however many jobs share it), GetRevocationStatus where those two cannot answer,
 * and the signed files' hashes. No check runs here and nothing here throws for a job: an error is evidence.
 */
export async function gatherEvidence(
  signer: SignerClient,
  targets: readonly JobTarget[],
  options: GatherOptions
): Promise<JobEvidence[]> {
  const { region, concurrency } = options
  const jobs = await mapLimit(targets, concurrency, target => describeJob(signer, target.jobId))
  const profiles = await readProfiles(signer, jobs, concurrency)

  return mapLimit(targets, concurrency, async (target, i): Promise<JobEvidence> => {
    const job = jobs[i]
    const files = await readSignedFiles(target.manifest)
    if (job.kind !== 'found') {
      return { target, job, jobArn: options.jobArns?.get(target.jobId), files }
    }
    const versionArn =
      profileVersionArn(region, job.jobOwner, job.profileName ?? '', job.profileVersion) ?? undefined
    const arn =
      options.jobArns?.get(target.jobId) ??
      (job.jobOwner ? jobArn(region, job.jobOwner, target.jobId) : undefined)
    const signedAt = job.completedAt ?? job.createdAt
    const profile = profiles.get(profileKey(job))
    const evidence: JobEvidence = {
      target,
      job,
      profileVersionArn: versionArn,
      jobArn: arn,
      signedAt,
      profile,
      files
    }
    if (needsRevocationStatus(job, profile) && signedAt && job.platformId && versionArn && arn) {
      evidence.revocationStatus = await readRevocationStatus(signer, {
        signedAt,
        platformId: job.platformId,
        profileVersionArn: versionArn,
        jobArn: arn
      })
    }
    return evidence
  })
}

const profileKey = (job: FoundJob): string => `${job.jobOwner ?? ''}/${job.profileName ?? ''}`

async function readProfiles(
  signer: SignerClient,
  jobs: readonly JobRead[],
  concurrency: number
): Promise<Map<string, ProfileRead>> {
  const distinct = new Map<string, FoundJob>()
  for (const job of jobs) {
    if (job.kind === 'found' && job.profileName) distinct.set(profileKey(job), job)
  }
  const entries = [...distinct.entries()]
  const read = await mapLimit(entries, concurrency, ([, job]) =>
    readProfile(signer, job.profileName as string, job.jobOwner)
  )
  return new Map(entries.map(([key], i) => [key, read[i]]))
}

/**
 * GetSigningProfile describes the profile's current version only, and another account's profile only with
 * that account's permission: for a job of an older version, or of a profile that could not be read, only
 * GetRevocationStatus says whether its profile version is revoked for a signature made when it was.
 */
export function needsRevocationStatus(job: FoundJob, profile: ProfileRead | undefined): boolean {
  if (job.status !== 'Succeeded') return false
  return profile?.kind !== 'found' || profile.profileVersion !== job.profileVersion
}
