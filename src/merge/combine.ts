import { JobProvenance } from '../provenance/types'
import { Shard } from './shard'

/** The release's jobs, as one sign run signing every artifact would have listed them. */
export interface MergedRelease {
  repository: string
  commit: string
  jobs: JobProvenance[]
}

/**
 * The shards' jobs as one list, sorted by job id as a sign run sorts them. The same job in two shards (two
 * shards signed the same name and bytes, so their tokens matched) is one job listing both shards' paths;
 * any other difference between the two is refused, naming the job. So is an artifact path signed by two
 * different jobs, or shards of different repositories or commits: none of these is one release.
 */
export function combineShards(shards: readonly Shard[]): MergedRelease {
  if (shards.length === 0) throw new Error('no shard manifest to merge')
  const [first] = shards
  for (const shard of shards) {
    if (shard.repository !== first.repository || shard.commit !== first.commit) {
      throw new Error(
        `${shard.file} is of ${shard.repository}@${shard.commit} but ${first.file} is of ` +
          `${first.repository}@${first.commit}: shards of one release share a repository and a commit`
      )
    }
  }
  const byJob = new Map<string, { job: JobProvenance; file: string }>()
  for (const shard of shards) {
    for (const job of shard.jobs) {
      const known = byJob.get(job.jobId)
      byJob.set(
        job.jobId,
        known
          ? { job: sameJob(known, { job, file: shard.file }), file: known.file }
          : { job, file: shard.file }
      )
    }
  }
  const jobs = [...byJob.values()].map(entry => entry.job).sort((a, b) => compare(a.jobId, b.jobId))
  refuseTwoJobsForOnePath(jobs)
  return { repository: first.repository, commit: first.commit, jobs }
}

/** One job seen by two shards: equal but for the paths (united) and a signed hash one shard did not take. */
function sameJob(
  known: { job: JobProvenance; file: string },
  other: { job: JobProvenance; file: string }
): JobProvenance {
  const artifactPaths = [...new Set([...known.job.artifactPaths, ...other.job.artifactPaths])].sort(compare)
  const signedSha256 = known.job.signedSha256 ?? other.job.signedSha256
  const a = canonical({ ...known.job, artifactPaths: [], signedSha256: null })
  const b = canonical({ ...other.job, artifactPaths: [], signedSha256: null })
  const hashes = [known.job.signedSha256, other.job.signedSha256].filter(hash => hash !== null)
  if (a !== b || new Set(hashes).size > 1) {
    throw new Error(
      `job ${known.job.jobId} differs between ${known.file} and ${other.file}` +
        `${differingFields(known.job, other.job)}: the shards disagree about it, so neither is taken`
    )
  }
  return { ...known.job, artifactPaths, signedSha256 }
}

function refuseTwoJobsForOnePath(jobs: readonly JobProvenance[]): void {
  const jobOf = new Map<string, string>()
  for (const job of jobs) {
    for (const artifactPath of job.artifactPaths) {
      const other = jobOf.get(artifactPath)
      if (other !== undefined) {
        throw new Error(
          `${artifactPath} was signed by job ${other} in one shard and job ${job.jobId} in another: ` +
            'a release has one signature per artifact; sign each artifact in one shard only'
        )
      }
      jobOf.set(artifactPath, job.jobId)
    }
  }
}

function differingFields(a: JobProvenance, b: JobProvenance): string {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    key => key !== 'artifactPaths' && canonical((a as never)[key]) !== canonical((b as never)[key])
  )
  return keys.length > 0 ? ` (${keys.join(', ')})` : ''
}

/** JSON with object keys sorted, so that two records compare by content, not by key order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => compare(a, b))
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
