import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  MIN_PART_SIZE,
  checksumProvesBytes,
  expectedChecksum,
  fullObjectChecksum,
  needsComposite,
  uploadPartSize
} from '../../src/sign/checksum'
import { hashFile } from '../../src/sign/artifacts'
import { makeWorkspace } from '../../scripts/run-action'

const sha = (data: Buffer): Buffer => createHash('sha256').update(data).digest()

let workspace: string
beforeAll(() => {
  workspace = makeWorkspace()
})
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }))

async function artifactOf(name: string, bytes: Buffer) {
  const file = path.join(workspace, name)
  fs.writeFileSync(file, bytes)
  return { path: file, ...(await hashFile(file)) }
}

describe('uploadPartSize', () => {
  it("is lib-storage's: 5 MiB, or enough for 10,000 parts, unless one is asked for", () => {
    expect(uploadPartSize(1)).toBe(MIN_PART_SIZE)
    expect(uploadPartSize(2048 * 1024 * 1024)).toBe(MIN_PART_SIZE)
    expect(uploadPartSize(100 * 1024 * 1024 * 1024)).toBe(Math.ceil((100 * 1024 * 1024 * 1024) / 10_000))
    expect(uploadPartSize(1, 8 * 1024 * 1024)).toBe(8 * 1024 * 1024)
  })
})

describe('expectedChecksum', () => {
  it('a file of at most one part: the SHA-256 of the whole file, no composite', async () => {
    const bytes = Buffer.alloc(1000, 9)
    const artifact = await artifactOf('one.bin', bytes)
    expect(await expectedChecksum(artifact, 1000)).toEqual({ fullObject: sha(bytes).toString('base64') })
    expect(fullObjectChecksum(artifact.sha256)).toBe(sha(bytes).toString('base64'))
  })

  it('a file over one part: the SHA-256 of the part digests, and the part count', async () => {
    const bytes = Buffer.from(Array.from({ length: 2500 }, (_, i) => i % 251))
    const artifact = await artifactOf('three.bin', bytes)
    const parts = [bytes.subarray(0, 1000), bytes.subarray(1000, 2000), bytes.subarray(2000)]
    const digest = sha(Buffer.concat(parts.map(sha))).toString('base64')
    expect(await expectedChecksum(artifact, 1000)).toEqual({
      fullObject: sha(bytes).toString('base64'),
      composite: { digest, parts: 3 }
    })
  })
})

describe('checksumProvesBytes', () => {
  const expected = { fullObject: 'FULL=', composite: { digest: 'COMP=', parts: 3 } }

  it.each([
    [{ sha256: 'FULL=', type: 'FULL_OBJECT' }, true],
    [{ sha256: 'FULL=' }, true],
    [{ sha256: 'COMP=-3', type: 'COMPOSITE' }, true],
    [{ sha256: 'COMP=' }, true],
    [{ sha256: 'COMP=-3' }, true],
    [{ sha256: 'COMP=-2', type: 'COMPOSITE' }, false],
    [{ sha256: 'FULL=', type: 'COMPOSITE' }, false],
    [{ sha256: 'COMP=', type: 'FULL_OBJECT' }, false],
    [{ sha256: 'FULL=-1' }, false],
    [{ sha256: 'OTHER=' }, false],
    [{}, false]
  ])('%j: %s', (stored, proves) => {
    expect(checksumProvesBytes(stored, expected)).toBe(proves)
  })

  it('without a composite (a one-part file) only the whole-file checksum proves the bytes', () => {
    expect(checksumProvesBytes({ sha256: 'FULL=' }, { fullObject: 'FULL=' })).toBe(true)
    expect(checksumProvesBytes({ sha256: 'COMP=-3' }, { fullObject: 'FULL=' })).toBe(false)
  })

  it('reads the file again only for a checksum that may be composite', () => {
    expect(needsComposite({ sha256: 'FULL=', type: 'FULL_OBJECT' })).toBe(false)
    expect(needsComposite({ sha256: 'COMP=-3', type: 'COMPOSITE' })).toBe(true)
    expect(needsComposite({ sha256: 'X=' })).toBe(true)
    expect(needsComposite({})).toBe(false)
  })
})
