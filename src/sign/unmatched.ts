import { InputError } from '../errors'
import { NoFilesFound } from '../config'
import { relativeInside } from '../paths'
import { matchFiles } from './artifacts'

/** The lines of path that add files: '!' lines exclude, '#' lines are comments. */
export function includePatterns(patterns: string[]): string[] {
  return patterns.map(line => line.trim()).filter(line => line !== '' && !/^[!#]/.test(line))
}

/**
 * The include lines that match no file on their own. A file under output-dir does not count: it is a
 * signed copy from an earlier run, never an artifact. A line whose files a later '!' line excludes did
 * match: the exclusion is the workflow's choice.
 */
export async function unmatchedPatterns(
  patterns: string[],
  workspace: string,
  excludeDir?: string
): Promise<string[]> {
  const unmatched: string[] = []
  for (const line of includePatterns(patterns)) {
    const files = await matchFiles([line], workspace)
    const artifacts = excludeDir
      ? files.filter(file => relativeInside(excludeDir, file) === undefined)
      : files
    if (artifacts.length === 0) unmatched.push(line)
  }
  return unmatched
}

/**
 * if-no-files-found, before any AWS call: error refuses the run naming each line that matched nothing (a
 * release would otherwise ship without that artifact); warn returns one warning per line; ignore, none.
 */
export function noFilesFoundWarnings(
  unmatched: string[],
  patterns: string[],
  workspace: string,
  choice: NoFilesFound
): string[] {
  if (unmatched.length === 0 || choice === 'ignore') return []
  const list = unmatched.map(line => `'${line}'`).join(', ')
  if (choice === 'error') {
    const them = unmatched.length === 1 ? 'it' : 'them'
    const rest =
      unmatched.length === includePatterns(patterns).length
        ? `nothing to sign. Check the build step that should write ${them}`
        : `nothing was signed. Check the build step that should write ${them}, or set ` +
          'if-no-files-found: warn (or ignore) to sign what the other lines match'
    throw new InputError('path', `${list} matched no file in the workspace ${workspace}: ${rest}`)
  }
  return unmatched.map(line => `path: '${line}' matched no file in the workspace ${workspace}: not signed`)
}
