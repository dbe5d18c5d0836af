import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import * as glob from '@actions/glob'
import { InputError } from '../errors'
import { mapLimit } from '../concurrency'
import { relativeInside } from '../paths'
import { refuseUnsafeArtifacts } from './safe-paths'
import { Artifact } from './types'

/**
 * Roots a glob line at the workspace rather than at the process's cwd, keeping @actions/glob's syntax:
 * '#' comments and leading '!' negations pass through.
 */
export function rootPattern(line: string, workspace: string): string {
  const trimmed = line.trim()
  if (trimmed === '' || trimmed.startsWith('#')) return trimmed
  const negations = /^!*/.exec(trimmed)?.[0] ?? ''
  const pattern = trimmed.slice(negations.length)
  if (path.isAbsolute(pattern) || pattern.startsWith('~')) return trimmed
  return negations + path.join(workspace, pattern)
}

/**
 * The workspace-relative name of a file, '/'-separated on every OS (tokens, S3 keys, records and manifests
 * hold it, so a re-run on another runner OS finds the same jobs); undefined outside the workspace.
 */
export function workspaceRelative(
  file: string,
  workspace: string,
  pathApi: path.PlatformPath = path
): string | undefined {
  return relativeInside(workspace, file, pathApi)?.split(pathApi.sep).join('/')
}

/** Files matching the patterns: directories skipped, duplicates removed, sorted for a stable order. */
export async function matchFiles(patterns: string[], workspace: string): Promise<string[]> {
  const globber = await glob.create(patterns.map(line => rootPattern(line, workspace)).join('\n'), {
    matchDirectories: false,
    implicitDescendants: true,
    followSymbolicLinks: true
  })
  const files = new Set<string>()
  for await (const match of globber.globGenerator()) {
    // matchDirectories: false already leaves directories out; a symlink to one is checked here.
    const stat = await fs.stat(match)
    if (stat.isFile()) files.add(path.resolve(match))
  }
  return [...files].sort()
}

/** SHA-256 and size of a file, read as a stream: memory stays flat whatever the file's size. */
export async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    size += chunk.length
    hash.update(chunk)
  }
  return { sha256: hash.digest('hex'), size }
}

export interface ResolveOptions {
  concurrency?: number
  /**
   * output-dir: signed copies from an earlier run in the same workspace are not artifacts, or a broad glob
   * such as '**\/*.zip' would sign them again and nest signed/signed/... on every run.
   */
  excludeDir?: string
}

/** Step 1: the patterns become hashed artifacts, or an InputError when nothing (or something outside) matched. */
export async function resolveArtifacts(
  patterns: string[],
  workspace: string,
  options: ResolveOptions = {}
): Promise<Artifact[]> {
  const { concurrency = 4, excludeDir } = options
  const matched = await matchFiles(patterns, workspace)
  const files = excludeDir ? matched.filter(file => relativeInside(excludeDir, file) === undefined) : matched
  if (files.length === 0) {
    const excluded = matched.length > 0 ? ` outside output-dir ${excludeDir}` : ''
    throw new InputError(
      'path',
      `no file matched ${patterns.map(p => `'${p}'`).join(', ')} in the workspace ${workspace}${excluded}`
    )
  }
  const outside = files.filter(file => workspaceRelative(file, workspace) === undefined)
  if (outside.length > 0) {
    throw new InputError(
      'path',
      `matched files outside the workspace ${workspace}: ${outside.join(', ')}; ` +
        'artifacts must be under GITHUB_WORKSPACE so that their signed copies keep their relative paths'
    )
  }
  await refuseUnsafeArtifacts(files, workspace)
  return mapLimit(files, concurrency, async file => ({
    path: file,
    relativePath: workspaceRelative(file, workspace) as string,
    ...(await hashFile(file))
  }))
}
