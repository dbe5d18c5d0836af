import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { InputError } from '../errors'
import { relativeInside } from '../paths'
import { hasUnsafeCharacter, logSafe } from '../report/log-text'

/**
 * The path as the file system resolves it (symbolic links followed), for a path that may not exist yet: the
 * deepest existing ancestor is resolved and the rest appended, since mkdir will create it as written.
 */
export async function resolvedPath(target: string): Promise<string> {
  const absolute = path.resolve(target)
  try {
    return await fs.realpath(absolute)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    const parent = path.dirname(absolute)
    if (parent === absolute) throw error
    return path.join(await resolvedPath(parent), path.basename(absolute))
  }
}

/** Inside, or the directory itself, once both are resolved. */
async function resolvesInside(root: string, target: string): Promise<{ inside: boolean; resolved: string }> {
  const [realRoot, resolved] = await Promise.all([resolvedPath(root), resolvedPath(target)])
  return { inside: resolved === realRoot || relativeInside(realRoot, resolved) !== undefined, resolved }
}

/**
 * Artifacts are names the build chose: each is refused, before anything is read or uploaded, when its
 * workspace-relative name holds a control character (it would reach log lines, annotations and the
 * checksums file) or when it resolves outside the workspace (a symbolic link there would upload, sign and
 * release a file the workflow never built).
 */
export async function refuseUnsafeArtifacts(files: readonly string[], workspace: string): Promise<void> {
  for (const file of files) {
    const name = path.relative(workspace, file)
    if (hasUnsafeCharacter(name)) {
      throw new InputError(
        'path',
        `matched '${logSafe(name)}', whose name holds a control character (newline, carriage return...): ` +
          'rename it; names reach log lines and the checksums file'
      )
    }
    const { inside, resolved } = await resolvesInside(workspace, file)
    if (!inside) {
      throw new InputError(
        'path',
        `matched '${logSafe(name)}', a symbolic link (or under one) to ${logSafe(resolved)}, outside the ` +
          'workspace: only files inside the workspace are signed'
      )
    }
  }
}

/** output-dir, resolved, must stay inside the workspace: a symbolic link there must not send files elsewhere. */
export async function refuseOutputDirOutside(outputDir: string, workspace: string): Promise<void> {
  const { inside, resolved } = await resolvesInside(workspace, outputDir)
  if (!inside || resolved === (await resolvedPath(workspace))) {
    throw new InputError(
      'output-dir',
      `resolves to ${logSafe(resolved)}, which is not a directory inside the workspace ${logSafe(workspace)} ` +
        '(a symbolic link?): signed files are written only inside the workspace'
    )
  }
}

/** Before a file is written into root: its directory, resolved, is still inside root. */
export async function assertWritableInside(root: string, target: string): Promise<void> {
  const { inside, resolved } = await resolvesInside(root, path.dirname(target))
  if (!inside) {
    throw new Error(
      `refusing to write ${logSafe(path.basename(target))} into ${logSafe(resolved)}, outside ${logSafe(root)} ` +
        'once symbolic links are followed'
    )
  }
}
