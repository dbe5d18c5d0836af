import * as fs from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { ArtifactResult } from '../sign/types'
import { hasUnsafeCharacter, logSafe } from './log-text'

/**
 * The checksums file actions/attest-build-provenance reads through its `subject-checksums` input: the
 * shasum format, one `<sha256 hex>  <name>` line per signed file (two spaces: the text-mode flag). Names are
 * paths relative to output-dir, so `sha256sum -c` run there checks the files too. Sorted by name, so the
 * same files always give the same bytes.
 */
export function subjectChecksums(results: ArtifactResult[], outputDir: string): string {
  return checksumLines(
    results.flatMap(result =>
      result.signedPath && result.signedSha256
        ? [
            {
              name: path.relative(outputDir, result.signedPath).split(path.sep).join('/'),
              sha256: result.signedSha256
            }
          ]
        : []
    )
  )
}

/** The shasum lines of named files, sorted by name. */
export function checksumLines(subjects: ReadonlyArray<{ name: string; sha256: string }>): string {
  // A line break in a name would forge a line attest signs for: names are checked before any upload, and
  // merge reads them from shard manifests, so they are checked here too.
  const unsafe = subjects.find(subject => hasUnsafeCharacter(subject.name))
  if (unsafe) {
    throw new Error(`refusing to write the checksums file: the name '${logSafe(unsafe.name)}' is unsafe`)
  }
  return [...subjects]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(subject => `${subject.sha256}  ${subject.name}\n`)
    .join('')
}

/**
 * Writes the checksums file of the downloaded signed files into a fresh directory under RUNNER_TEMP (not
 * output-dir: it is a hand-over to the next step, not a release file, and two steps of one job never
 * share it) and returns its path; undefined when nothing was downloaded.
 */
export async function writeSubjectChecksums(
  results: ArtifactResult[],
  outputDir: string,
  tempRoot?: string
): Promise<string | undefined> {
  return writeChecksumsFile(subjectChecksums(results, outputDir), tempRoot)
}

/** The checksums text in a fresh directory under RUNNER_TEMP; undefined when there is no line. */
export async function writeChecksumsFile(
  text: string,
  tempRoot: string = process.env.RUNNER_TEMP || os.tmpdir()
): Promise<string | undefined> {
  if (text === '') return undefined
  const dir = await fs.mkdtemp(path.join(tempRoot, 'aws-signer-'))
  const file = path.join(dir, 'subject-checksums.txt')
  await fs.writeFile(file, text)
  return file
}
