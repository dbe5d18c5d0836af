/**
 * Runs signing jobs in the background: when a job is due it reads the exact source version, checks it as
 * the platform does, signs it with the profile's key, writes the signed object to `prefix + jobId` (+ `.zip`
 * on the Lambda platform, as Signer does) and marks the job Succeeded; or Failed, with a statusReason, when
 * something is wrong or a fault says so. Jobs planned to hang stay InProgress.
 */
import { findPlatform, LAMBDA_PLATFORM, signaturesExpire } from './platforms'
import type { ObjectStore } from './s3'
import { signedObjectBytes } from './signed-object'
import type { JobRecord, StateStore } from './state'
import { addValidity } from './validity'
import { lambdaZipFailure } from './zip'

export const SUCCEEDED_REASON = 'Signing Succeeded'

export interface JobRunnerDeps {
  store: StateStore
  objects: ObjectStore
  region: string
  now(): number
  log?(line: string): void
}

export function signedObjectKey(job: Pick<JobRecord, 'jobId' | 'platformId' | 'destination'>): string {
  return `${job.destination.prefix}${job.jobId}${job.platformId === LAMBDA_PLATFORM ? '.zip' : ''}`
}

export class JobRunner {
  private timers = new Map<string, NodeJS.Timeout>()
  private running = new Set<Promise<void>>()
  private closed = false

  constructor(private readonly deps: JobRunnerDeps) {}

  /** Every InProgress job that is not meant to hang, e.g. after a restart from a state file. */
  resumeAll(): void {
    for (const job of this.deps.store.listJobs()) this.schedule(job)
  }

  schedule(job: JobRecord): void {
    if (this.closed || job.status !== 'InProgress' || job.plan.outcome === 'hang') return
    const delay = Math.max(0, job.dueAt - this.deps.now())
    const timer = setTimeout(() => {
      this.timers.delete(job.jobId)
      const run = this.finish(job).finally(() => this.running.delete(run))
      this.running.add(run)
    }, delay)
    this.timers.set(job.jobId, timer)
  }

  /** Stops pending timers and waits for jobs being signed right now. */
  async close(): Promise<void> {
    this.closed = true
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
    await Promise.allSettled([...this.running])
  }

  /** Drops pending timers (admin reset), without closing. */
  cancelAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
  }

  private async finish(job: JobRecord): Promise<void> {
    try {
      if (job.plan.outcome === 'fail') return this.fail(job, job.plan.statusReason)
      await this.sign(job)
    } catch (error) {
      this.fail(job, `Signing failed: ${(error as Error).message}`)
    }
  }

  private async sign(job: JobRecord): Promise<void> {
    const { store, objects, region } = this.deps
    const profile = store.getProfile(job.jobOwner, job.profileName)
    if (!profile) return this.fail(job, `The signing profile ${job.profileName} no longer exists.`)
    const platform = findPlatform(job.platformId)
    const { bucketName, key, version } = job.source
    let payload: Buffer
    try {
      payload = await objects.read(bucketName, key, version)
    } catch (error) {
      return this.fail(
        job,
        `Could not read the source object s3://${bucketName}/${key} version ${version}: ${(error as Error).message}`
      )
    }
    if (payload.length === 0)
      return this.fail(job, 'The source object is empty (0 bytes): there is no code to sign.')
    const maxSizeInMB = platform?.maxSizeInMB
    if (maxSizeInMB !== undefined && payload.length > maxSizeInMB * 1024 * 1024)
      return this.fail(
        job,
        `The source object is ${payload.length} bytes, over the ${maxSizeInMB} MB limit of ${job.platformId}.`
      )
    const notZip = job.platformId === LAMBDA_PLATFORM ? lambdaZipFailure(payload) : undefined
    if (notZip) return this.fail(job, notZip)
    const signedAt = this.deps.now()
    const signatureExpiresAt = signaturesExpire(job.platformId)
      ? addValidity(job.createdAt, profile.signatureValidityPeriod)
      : undefined
    const signed = signedObjectBytes({ job, profile, payload, region, signedAt, signatureExpiresAt })
    const destinationKey = signedObjectKey(job)
    try {
      await objects.write(job.destination.bucketName, destinationKey, signed, 'application/json')
    } catch (error) {
      return this.fail(
        job,
        `Could not write the signed object to s3://${job.destination.bucketName}/${destinationKey}: ${(error as Error).message}`
      )
    }
    job.status = 'Succeeded'
    job.statusReason = SUCCEEDED_REASON
    job.completedAt = this.deps.now()
    if (signatureExpiresAt !== undefined) job.signatureExpiresAt = signatureExpiresAt
    job.signedObject = { bucketName: job.destination.bucketName, key: destinationKey }
    store.save()
  }

  private fail(job: JobRecord, statusReason: string): void {
    job.status = 'Failed'
    job.statusReason = statusReason
    job.completedAt = this.deps.now()
    this.deps.store.save()
    this.deps.log?.(`job ${job.jobId} failed: ${statusReason}`)
  }
}
