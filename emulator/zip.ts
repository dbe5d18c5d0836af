/**
 * What Signer's Lambda platform checks of a source before signing it. AWS (developer guide, "Create a
 * signing job for Lambda"): "Signing fails for a zip file if the file is empty, already has a signature, or
 * is malformed." AWS does not publish the statusReason wording; these reasons are the emulator's own.
 *
 * The emulator reads the whole source anyway, so it walks the archive from its end-of-central-directory
 * record to every central directory entry.
 */
const LOCAL_HEADER = 0x04034b50
const CENTRAL_HEADER = 0x02014b50
const END_OF_CENTRAL_DIRECTORY = 0x06054b50
const END_RECORD_SIZE = 22
const MAX_COMMENT = 0xffff
/** Zip64 marks its counts and offsets with all-ones; the real values sit in another record. */
const ZIP64_COUNT = 0xffff

/** Why a Lambda job fails on this source, or undefined when it is a zip archive with entries. */
export function lambdaZipFailure(payload: Buffer): string | undefined {
  if (payload.length < 4 || payload.readUInt32LE(0) !== LOCAL_HEADER) {
    if (payload.length >= 4 && payload.readUInt32LE(0) === END_OF_CENTRAL_DIRECTORY)
      return 'The source object is an empty zip file (no entries): there is no code to sign.'
    return 'The source object is not a zip file: the AWS Lambda platform signs zip files only.'
  }
  const end = findEndRecord(payload)
  if (end === undefined)
    return 'The source object is a malformed zip file: it has no end of central directory record.'
  const entries = payload.readUInt16LE(end + 10)
  if (entries === 0) return 'The source object is an empty zip file (no entries): there is no code to sign.'
  if (entries === ZIP64_COUNT) return undefined
  const size = payload.readUInt32LE(end + 12)
  const offset = payload.readUInt32LE(end + 16)
  if (offset + size > end || !centralEntriesAt(payload, offset, entries))
    return 'The source object is a malformed zip file: its central directory does not match its entries.'
  return undefined
}

function findEndRecord(payload: Buffer): number | undefined {
  const earliest = Math.max(0, payload.length - END_RECORD_SIZE - MAX_COMMENT)
  for (let at = payload.length - END_RECORD_SIZE; at >= earliest; at--) {
    if (
      payload.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY &&
      at + END_RECORD_SIZE + payload.readUInt16LE(at + 20) === payload.length
    )
      return at
  }
  return undefined
}

/** Whether `entries` central directory headers follow one another from `offset`. */
function centralEntriesAt(payload: Buffer, offset: number, entries: number): boolean {
  let at = offset
  for (let i = 0; i < entries; i++) {
    if (at + 46 > payload.length || payload.readUInt32LE(at) !== CENTRAL_HEADER) return false
    at += 46 + payload.readUInt16LE(at + 28) + payload.readUInt16LE(at + 30) + payload.readUInt16LE(at + 32)
  }
  return true
}
