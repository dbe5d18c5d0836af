/**
 * AWS (Signer developer guide, "Create a signing job for Lambda"): "Signing fails for a zip file if the file
 * is empty, already has a signature, or is malformed", and the Lambda platform signs zip files only. So that
 * a wrong file fails before its upload, the action peeks at each file: the first 4 bytes (a zip starts with
 * a local file header) and the last 64 KiB (the end-of-central-directory record and its entry count). It
 * never reads a whole file. Whether a zip is already signed is left to Signer.
 */
import * as fs from 'node:fs/promises'
import { PreflightError, errorMessage } from '../errors'
import { Artifact } from './types'

export const LAMBDA_PLATFORM = 'AWSLambda-SHA384-ECDSA'

const LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04])
const END_RECORD = Buffer.from([0x50, 0x4b, 0x05, 0x06])
const END_RECORD_SIZE = 22
/** The end record plus the longest archive comment it may carry. */
const TAIL_SIZE = END_RECORD_SIZE + 0xffff

/** What is wrong with a file the Lambda platform is asked to sign, from its first and last bytes. */
export function zipProblem(head: Buffer, tail: Buffer): string | undefined {
  if (head.subarray(0, 4).equals(END_RECORD)) return 'is an empty zip file (no entries)'
  if (!head.subarray(0, 4).equals(LOCAL_HEADER))
    return 'is not a zip file (it does not start with PK\\x03\\x04)'
  const end = endRecordIn(tail)
  if (end === undefined) return 'is a malformed zip file (no end-of-central-directory record: truncated?)'
  if (tail.readUInt16LE(end + 10) === 0) return 'is an empty zip file (no entries)'
  return undefined
}

/** Where the end-of-central-directory record starts in `tail`: the last one whose comment ends the file. */
function endRecordIn(tail: Buffer): number | undefined {
  for (let at = tail.lastIndexOf(END_RECORD); at >= 0; at = tail.lastIndexOf(END_RECORD, at - 1)) {
    if (
      at + END_RECORD_SIZE <= tail.length &&
      at + END_RECORD_SIZE + tail.readUInt16LE(at + 20) === tail.length
    )
      return at
    if (at === 0) break
  }
  return undefined
}

async function peek(file: string): Promise<{ head: Buffer; tail: Buffer }> {
  const handle = await fs.open(file, 'r')
  try {
    const { size } = await handle.stat()
    const head = Buffer.alloc(Math.min(4, size))
    await handle.read(head, 0, head.length, 0)
    const tail = Buffer.alloc(Math.min(TAIL_SIZE, size))
    await handle.read(tail, 0, tail.length, size - tail.length)
    return { head, tail }
  } finally {
    await handle.close()
  }
}

/**
 * Refuses, by name, every workspace file the Lambda platform would fail. Objects already in S3
 * (source-object) are not read here: nothing is uploaded for them, and Signer's job says what is wrong.
 */
export async function checkLambdaZips(platformId: string, artifacts: Artifact[]): Promise<void> {
  const files = artifacts.filter(artifact => !artifact.object && artifact.size > 0)
  const problems = await Promise.all(
    files.map(async artifact => {
      const { head, tail } = await peek(artifact.path).catch((error: unknown) => {
        throw new PreflightError(
          `Could not read ${JSON.stringify(artifact.relativePath)}: ${errorMessage(error)}`,
          {
            cause: error
          }
        )
      })
      const problem = zipProblem(head, tail)
      return problem ? `${JSON.stringify(artifact.relativePath)} ${problem}` : undefined
    })
  )
  const found = problems.filter((problem): problem is string => problem !== undefined)
  if (found.length > 0) {
    throw new PreflightError(
      `Platform ${platformId} signs zip files only, and fails a zip that is empty or malformed: ` +
        `${found.join('; ')}. Sign Lambda deployment packages (zip) with this profile, and other files ` +
        'with a profile on another platform'
    )
  }
}
