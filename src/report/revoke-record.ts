import * as fs from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { RevokeConfig } from '../config'
import { RunContext } from '../context'
import { iso } from '../revoke/format'
import { RevokeRecord } from '../revoke/types'

/** The inputs as the run understood them: what to revoke, and how. */
export function recordInputs(config: RevokeConfig): Record<string, unknown> {
  return {
    jobIds: config.jobIds,
    jobOwner: config.jobOwner ?? null,
    profileRevocation: config.profileRevocation
      ? { ...config.profileRevocation, effectiveTime: iso(config.profileRevocation.effectiveTime) }
      : null,
    window: config.jobSearch
      ? {
          profileName: config.jobSearch.profileName,
          profileVersion: config.jobSearch.profileVersion ?? null,
          signedAfter: config.jobSearch.signedAfter ? iso(config.jobSearch.signedAfter) : null,
          signedBefore: config.jobSearch.signedBefore ? iso(config.jobSearch.signedBefore) : null
        }
      : null,
    provenance: config.provenance ?? null,
    approvedJobIds: config.approvedJobIds ?? null,
    requireApproval: config.requireApproval ?? false,
    dryRun: config.dryRun
  }
}

/**
 * The incident record as a file: the job summary expires with the run, this can be kept as an artifact.
 * Times are ISO-8601 UTC; a dry run's record says so and lists what would be revoked.
 */
export function incidentRecord(record: RevokeRecord, config: RevokeConfig): Record<string, unknown> {
  return {
    schemaVersion: 1,
    reason: record.reason,
    dryRun: record.dryRun,
    actor: record.actor,
    startedAt: record.startedAt,
    repository: record.repository,
    runUrl: record.runUrl ?? null,
    inputs: recordInputs(config),
    profile: record.profile
      ? {
          profileName: record.profile.target.profileName,
          profileVersion: record.profile.target.profileVersion,
          effectiveTime: iso(record.profile.target.effectiveTime),
          outcome: record.profile.outcome,
          detail: record.profile.detail ?? null
        }
      : null,
    search: record.search
      ? {
          ...record.search,
          signedAfter: record.search.signedAfter ? iso(record.search.signedAfter) : null,
          signedBefore: record.search.signedBefore ? iso(record.search.signedBefore) : null
        }
      : null,
    provenance: record.provenance ?? null,
    jobs: record.jobs.map(job => ({
      jobId: job.jobId,
      source: job.source,
      outcome: job.outcome,
      profileName: job.profileName ?? null,
      profileVersion: job.profileVersion ?? null,
      createdAt: job.createdAt ? iso(job.createdAt) : null,
      detail: job.detail ?? null
    }))
  }
}

/** RUNNER_TEMP (cleaned by the runner after the job), one file per run attempt and kind of run. */
export function recordFilePath(
  context: Pick<RunContext, 'runId' | 'runAttempt'>,
  dryRun: boolean,
  env = process.env
): string {
  const dir = env.RUNNER_TEMP || os.tmpdir()
  const run = context.runId ? `${context.runId}-${context.runAttempt || '1'}` : 'local'
  return path.join(dir, `signer-revocation-${run}${dryRun ? '-dry-run' : ''}.json`)
}

/** How many steps of one job may write a record of the same kind: each after the first gets '-2', '-3'... */
const MAX_RECORD_FILES = 100

/**
 * Creates the file exclusively ('wx'): never writes through a file or symbolic link someone put there
 * first, never replaces an earlier step's record. A name already taken gets the next suffix. Returns the
 * path written.
 */
export async function writeIncidentRecord(file: string, record: Record<string, unknown>): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true })
  const { dir, name, ext } = path.parse(file)
  for (let n = 1; n <= MAX_RECORD_FILES; n++) {
    const candidate = n === 1 ? file : path.join(dir, `${name}-${n}${ext}`)
    try {
      await fs.writeFile(candidate, `${JSON.stringify(record, null, 2)}\n`, { flag: 'wx' })
      return candidate
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  throw new Error(
    `${MAX_RECORD_FILES} incident records named like ${file} exist already: not writing another`
  )
}
