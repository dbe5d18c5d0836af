/**
 * The emulator's state: profiles (with their keys), jobs and idempotency tokens, in memory and, when a
 * state file is given, written to it after every change (atomically: temp file + rename), so that a
 * restarted emulator still knows them.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { SigningKey } from './crypto/keys'
import { EncryptionAlgorithm, HashAlgorithm, ImageFormat } from './platforms'

export type ProfileStatus = 'Active' | 'Canceled' | 'Revoked'
export type JobStatus = 'InProgress' | 'Failed' | 'Succeeded'
export type ValidityType = 'DAYS' | 'MONTHS' | 'YEARS'

export interface Overrides {
  signingConfiguration?: { encryptionAlgorithm?: EncryptionAlgorithm; hashAlgorithm?: HashAlgorithm }
  signingImageFormat?: ImageFormat
}

export interface PermissionRecord {
  action: string
  principal: string
  statementId: string
  profileVersion?: string
}

export interface ProfileRecord {
  owner: string
  profileName: string
  profileVersion: string
  platformId: string
  signatureValidityPeriod: { value: number; type: ValidityType }
  signingMaterial?: { certificateArn: string }
  overrides?: Overrides
  signingParameters?: Record<string, string>
  status: ProfileStatus
  /** Epoch milliseconds, as every time in the state. */
  createdAt: number
  revocation?: { effectiveFrom: number; revokedAt: number; revokedBy: string; reason: string }
  key: SigningKey
  encryptionAlgorithm: EncryptionAlgorithm
  hashAlgorithm: HashAlgorithm
  signingImageFormat: ImageFormat
  permissions: PermissionRecord[]
  /** Changes with every permission change; absent until the first. */
  policyRevisionId?: string
  tags: Record<string, string>
}

/** What a job will do when its time comes, fixed when it starts (faults apply then). */
export type JobPlan = { outcome: 'succeed' } | { outcome: 'fail'; statusReason: string } | { outcome: 'hang' }

export interface JobRecord {
  jobId: string
  jobOwner: string
  jobInvoker: string
  requestedBy: string
  clientRequestToken: string
  profileName: string
  profileVersion: string
  platformId: string
  platformDisplayName: string
  source: { bucketName: string; key: string; version: string }
  destination: { bucketName: string; prefix: string }
  overrides?: Overrides
  signingParameters?: Record<string, string>
  signingMaterial?: { certificateArn: string }
  encryptionAlgorithm: EncryptionAlgorithm
  hashAlgorithm: HashAlgorithm
  signingImageFormat: ImageFormat
  createdAt: number
  /** Creation order, which breaks ties between jobs created in the same millisecond. */
  sequence: number
  /** When the job is due to finish (createdAt + the job duration at start). */
  dueAt: number
  plan: JobPlan
  status: JobStatus
  statusReason?: string
  completedAt?: number
  signatureExpiresAt?: number
  signedObject?: { bucketName: string; key: string }
  revocation?: { reason: string; revokedAt: number; revokedBy: string }
}

export interface StateData {
  format: 'aws-signer-emulator/state/v1'
  profiles: ProfileRecord[]
  jobs: JobRecord[]
  /** `${invokerAccount}/${clientRequestToken}` → jobId. */
  tokens: Record<string, string>
}

export class StateStore {
  private profiles = new Map<string, ProfileRecord>()
  private jobs = new Map<string, JobRecord>()
  private tokens = new Map<string, string>()

  constructor(private readonly file?: string) {
    if (file && fs.existsSync(file)) this.restore(readStateFile(file))
  }

  private restore(data: StateData): void {
    if (data.format !== 'aws-signer-emulator/state/v1')
      throw new Error(`${this.file}: not an emulator state file`)
    for (const profile of data.profiles)
      this.profiles.set(profileKey(profile.owner, profile.profileName), profile)
    for (const job of data.jobs) this.jobs.set(job.jobId, job)
    for (const [key, jobId] of Object.entries(data.tokens)) this.tokens.set(key, jobId)
  }

  getProfile(owner: string, name: string): ProfileRecord | undefined {
    return this.profiles.get(profileKey(owner, name))
  }

  putProfile(profile: ProfileRecord): void {
    this.profiles.set(profileKey(profile.owner, profile.profileName), profile)
    this.save()
  }

  listProfiles(owner?: string): ProfileRecord[] {
    return [...this.profiles.values()].filter(profile => owner === undefined || profile.owner === owner)
  }

  getJob(jobId: string): JobRecord | undefined {
    return this.jobs.get(jobId)
  }

  putJob(job: JobRecord, token?: string): void {
    this.jobs.set(job.jobId, job)
    if (token) this.tokens.set(token, job.jobId)
    this.save()
  }

  /** The sequence number for the next job. */
  nextJobSequence(): number {
    let max = 0
    for (const job of this.jobs.values()) max = Math.max(max, job.sequence ?? 0)
    return max + 1
  }

  listJobs(): JobRecord[] {
    return [...this.jobs.values()]
  }

  jobForToken(token: string): JobRecord | undefined {
    const jobId = this.tokens.get(token)
    return jobId === undefined ? undefined : this.jobs.get(jobId)
  }

  clear(): void {
    this.profiles.clear()
    this.jobs.clear()
    this.tokens.clear()
    this.save()
  }

  snapshot(): StateData {
    return {
      format: 'aws-signer-emulator/state/v1',
      profiles: [...this.profiles.values()],
      jobs: [...this.jobs.values()],
      tokens: Object.fromEntries(this.tokens)
    }
  }

  /** Writes the state file, when there is one; records are mutated in place, so callers save after. */
  save(): void {
    if (!this.file) return
    fs.mkdirSync(path.dirname(path.resolve(this.file)), { recursive: true })
    const temp = `${this.file}.${process.pid}.tmp`
    fs.writeFileSync(temp, JSON.stringify(this.snapshot(), null, 1))
    fs.renameSync(temp, this.file)
  }
}

export const profileKey = (owner: string, name: string): string => `${owner}/${name}`

function readStateFile(file: string): StateData {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as StateData
  } catch (error) {
    throw new Error(
      `${file}: not valid JSON (${(error as Error).message}); delete it or pass another --state file`
    )
  }
}
