import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Transform } from 'node:stream'
import { relativeInside } from '../paths'
import { signedFileName } from '../provenance/manifest'
import { JobProvenance } from '../provenance/types'
import { hashFile } from '../sign/artifacts'

/** One signed file of the release: its name under output-dir, and the SHA-256 its shard's manifest gives. */
export interface ReleaseFile {
  /** '/'-separated, relative to output-dir: the name the checksums file and the release use. */
  name: string
  signedSha256: string
  /** Where the merged copy is; undefined when no shard's directory holds the file. */
  path?: string
}

/**
 * The signed files the manifest promises, named as a sign run names them in output-dir: the artifact's
 * workspace-relative path, or the key's last segment for an s3:// source object. Jobs a shard did not
 * download (signedSha256 null) promise no file.
 */
export function releaseFiles(jobs: readonly JobProvenance[]): ReleaseFile[] {
  return jobs
    .flatMap(job =>
      job.signedSha256 === null
        ? []
        : job.artifactPaths.map(artifactPath => ({
            name: signedFileName(artifactPath),
            signedSha256: job.signedSha256 as string
          }))
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** A '/'-separated name under a directory, in the platform's own separators. */
export function underDir(dir: string, name: string, pathApi: path.PlatformPath = path): string {
  return pathApi.join(dir, ...name.split('/'))
}

/**
 * Copies each file from the first shard directory that holds it into output-dir, hashing it as it streams:
 * a copy whose bytes are not the ones the manifest names is refused, naming it (a shard's files went
 * through other jobs' hands). A file under a symlink leading out of its shard's directory is not taken.
 * Returns the files with the path of their merged copy; missing ones keep path undefined.
 */
export async function gatherFiles(
  files: readonly ReleaseFile[],
  shardDirs: readonly string[],
  outputDir: string
): Promise<ReleaseFile[]> {
  const gathered: ReleaseFile[] = []
  const copied: string[] = []
  try {
    for (const file of files) {
      const target = underDir(outputDir, file.name)
      const source = await firstHolding(shardDirs, file.name)
      if (source === undefined) {
        gathered.push(file)
        continue
      }
      if (source !== target) copied.push(target)
      const sha256 = source === target ? (await hashFile(source)).sha256 : await copyHashing(source, target)
      if (sha256 !== file.signedSha256) {
        throw new Error(
          `${source} has SHA-256 ${sha256}, but its shard's manifest says ${file.signedSha256}: ` +
            'it is not the file Signer signed; nothing was merged'
        )
      }
      gathered.push({ ...file, path: target })
    }
  } catch (error) {
    // All or nothing: a half-gathered output-dir would look like a release.
    await Promise.all(copied.map(target => fs.rm(target, { force: true })))
    throw error
  }
  return gathered
}

async function firstHolding(shardDirs: readonly string[], name: string): Promise<string | undefined> {
  for (const dir of shardDirs) {
    const candidate = underDir(dir, name)
    const real = await fs.realpath(candidate).catch(() => undefined)
    if (real === undefined) continue
    const realDir = await fs.realpath(dir)
    if (relativeInside(realDir, real) === undefined) {
      throw new Error(`${candidate} leads out of its shard's directory ${dir}: not taken`)
    }
    if ((await fs.stat(real)).isFile()) return path.resolve(candidate)
  }
  return undefined
}

/** Streams source to target through a hash: the copy is read once. */
async function copyHashing(source: string, target: string): Promise<string> {
  await fs.mkdir(path.dirname(target), { recursive: true })
  const hash = createHash('sha256')
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk)
      done(null, chunk)
    }
  })
  await pipeline(createReadStream(source), tap, createWriteStream(target))
  return hash.digest('hex')
}
