import { JOB_ID } from '../config/shared'
import { REPOSITORY } from '../provenance/layout'
import { SHA256_HEX } from '../provenance/manifest'
import { JobProvenance } from '../provenance/types'

/** One shard's manifest.json as a sign run wrote it, and where it was read from. */
export interface Shard {
  /** Absolute path of the manifest file; its directory is the shard's output-dir. */
  file: string
  repository: string
  commit: string
  jobs: JobProvenance[]
}

const COMMIT = /^[0-9a-f]{7,64}$/i

/**
 * A manifest's text, checked field by field before anything of it is used: a shard is a file another job
 * uploaded, so it is data to check, not to trust. Throws naming the file and the field.
 */
export function parseShard(file: string, text: string): Shard {
  const bad = (why: string): Error => new Error(`${file} is not a manifest.json of this action: ${why}`)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw bad('not JSON')
  }
  if (!isObject(parsed)) throw bad('not a JSON object')
  if (parsed.schemaVersion !== 1)
    throw bad(`schemaVersion is ${JSON.stringify(parsed.schemaVersion)}, expected 1`)
  // Both go into the merged manifest and into messages: the forms sign mode writes, nothing else.
  if (typeof parsed.repository !== 'string' || !REPOSITORY.test(parsed.repository)) {
    throw bad('repository is not owner/name')
  }
  if (typeof parsed.commit !== 'string' || !COMMIT.test(parsed.commit))
    throw bad('commit is not a commit SHA')
  if (!Array.isArray(parsed.jobs)) throw bad('jobs is not a list')
  const jobs = parsed.jobs.map((job, index) => checkedJob(job, `jobs[${index}]`, bad))
  return { file, repository: parsed.repository, commit: parsed.commit, jobs }
}

function checkedJob(job: unknown, where: string, bad: (why: string) => Error): JobProvenance {
  if (!isObject(job)) throw bad(`${where} is not an object`)
  if (typeof job.jobId !== 'string' || !JOB_ID.test(job.jobId)) throw bad(`${where}.jobId is not a job id`)
  const paths = job.artifactPaths
  if (
    !Array.isArray(paths) ||
    paths.length === 0 ||
    !paths.every(p => typeof p === 'string' && safeName(p))
  ) {
    throw bad(`${where}.artifactPaths is not a list of relative '/'-separated paths`)
  }
  if (typeof job.sha256 !== 'string') throw bad(`${where}.sha256 is not a string`)
  if (
    job.signedSha256 !== null &&
    (typeof job.signedSha256 !== 'string' || !SHA256_HEX.test(job.signedSha256))
  ) {
    throw bad(`${where}.signedSha256 is neither null nor a SHA-256`)
  }
  if (typeof job.status !== 'string') throw bad(`${where}.status is not a string`)
  if (typeof job.profileName !== 'string') throw bad(`${where}.profileName is not a string`)
  return job as unknown as JobProvenance
}

/**
 * A name a signed file may have under output-dir: relative, '/'-separated, no '..' or empty segment and
 * no control character, so that joining it to a directory stays inside it and printing it writes one line.
 * An s3:// URI (a source-object artifact) is kept as is: its file is named by the key's last segment.
 */
export function safeName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (name === '' || /[\u0000-\u001f\u007f-\u009f\\]/.test(name)) return false
  if (name.startsWith('s3://')) return true
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return false
  return name.split('/').every(segment => segment !== '' && segment !== '.' && segment !== '..')
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
