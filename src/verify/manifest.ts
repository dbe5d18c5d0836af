import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { JOB_ID } from '../config/shared'
import { InputError } from '../errors'
import { relativeInside } from '../paths'
import { SHA256_HEX, signedFileName } from '../provenance/manifest'
import { logSafe } from '../report/log-text'
import { ManifestJob } from './types'

/**
 * Reads a sign run's manifest.json before any AWS call: a file that cannot be read or is not a manifest is
 * an InputError. The signed files are where that run wrote them: the manifest's directory (its output-dir)
 * plus each artifact's path. A path that would leave the manifest's directory, or the workspace through a
 * symbolic link, is refused: the manifest comes from the workspace and is data, not instructions.
 */
export async function readManifest(manifestPath: string, workspace: string): Promise<ManifestJob[]> {
  const bad = (why: string): InputError => new InputError('manifest', `${manifestPath}: ${why}`)
  let text: string
  try {
    await insideWorkspace(manifestPath, workspace)
    text = await fs.readFile(manifestPath, 'utf8')
  } catch (error) {
    if (error instanceof InputError) throw error
    throw bad(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw bad('is not JSON')
  }
  const jobs = (parsed as { jobs?: unknown } | null)?.jobs
  if (!Array.isArray(jobs)) throw bad('has no "jobs" list: is it the manifest.json of a sign run?')
  const outputDir = path.dirname(manifestPath)
  const read = await Promise.all(jobs.map((job, index) => manifestJob(job, index, outputDir, workspace)))
  if (read.length === 0) throw bad('lists no signing job: there is nothing to verify')
  return read
}

async function manifestJob(
  raw: unknown,
  index: number,
  outputDir: string,
  workspace: string
): Promise<ManifestJob> {
  const bad = (why: string): InputError => new InputError('manifest', `jobs[${index}]: ${why}`)
  const job = (raw ?? {}) as Record<string, unknown>
  const text = (name: string): string | null => {
    const value = job[name]
    if (value === null || value === undefined) return null
    if (typeof value !== 'string') throw bad(`${name} is not a string`)
    return value
  }
  const jobId = text('jobId')
  if (jobId === null || !JOB_ID.test(jobId)) throw bad('jobId is not a signing job id')
  const signedSha256 = text('signedSha256')
  if (signedSha256 !== null && !SHA256_HEX.test(signedSha256)) throw bad('signedSha256 is not a hex SHA-256')
  const paths = job.artifactPaths
  if (!Array.isArray(paths) || !paths.every(p => typeof p === 'string')) {
    throw bad('artifactPaths is not a list of paths')
  }
  const signedFiles = await Promise.all(
    (paths as string[]).map(async artifactPath => {
      // Where sign mode downloaded it: a source object's copy is named by its key's last segment.
      const relativePath = signedFileName(artifactPath)
      const absolutePath = path.resolve(outputDir, relativePath)
      if (relativeInside(outputDir, absolutePath) === undefined) {
        throw bad(`artifact path "${logSafe(relativePath)}" leaves the manifest's directory`)
      }
      await insideWorkspace(absolutePath, workspace)
      return { relativePath: path.relative(workspace, absolutePath), absolutePath }
    })
  )
  const signed = job.signed as { bucket?: unknown; key?: unknown } | null | undefined
  return {
    jobId,
    jobOwner: text('jobOwner'),
    profileName: text('profileName') ?? '',
    profileVersion: text('profileVersion'),
    signedSha256,
    signed:
      signed && typeof signed.bucket === 'string' && typeof signed.key === 'string'
        ? { bucket: signed.bucket, key: signed.key }
        : null,
    signedFiles
  }
}

/**
 * Symbolic links resolved: a link inside the workspace to a file outside it is refused. A path that does
 * not exist yet is checked through its nearest existing parent.
 */
async function insideWorkspace(file: string, workspace: string): Promise<void> {
  const root = await fs.realpath(workspace)
  let existing = file
  let rest = ''
  for (;;) {
    try {
      const real = await fs.realpath(existing)
      const resolved = path.join(real, rest)
      if (resolved !== root && relativeInside(root, resolved) === undefined) {
        throw new InputError('manifest', `"${logSafe(file)}" is outside the workspace ${workspace}`)
      }
      return
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      const parent = path.dirname(existing)
      if (parent === existing) return
      rest = path.join(path.basename(existing), rest)
      existing = parent
    }
  }
}
