import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { subjectChecksums, writeSubjectChecksums } from '../../src/report/subject-checksums'
import { ArtifactResult } from '../../src/sign/types'

const OUT = path.join(path.sep, 'ws', 'signed')
const result = (relativePath: string, signedSha256?: string): ArtifactResult => ({
  artifact: { path: `/ws/${relativePath}`, relativePath, size: 1, sha256: 'a'.repeat(64) },
  signedPath: signedSha256 ? path.join(OUT, ...relativePath.split('/')) : undefined,
  signedSha256
})

describe('subjectChecksums', () => {
  it("is shasum's format: hex, two spaces, the name relative to output-dir; sorted by name", () => {
    const text = subjectChecksums(
      [result('firmware/board.bin', 'b'.repeat(64)), result('dist/function.zip', 'c'.repeat(64))],
      OUT
    )
    expect(text).toBe(`${'c'.repeat(64)}  dist/function.zip\n${'b'.repeat(64)}  firmware/board.bin\n`)
  })

  it('lists only the files that were downloaded and hashed', () => {
    expect(subjectChecksums([result('dist/a.zip'), result('dist/b.zip', 'd'.repeat(64))], OUT)).toBe(
      `${'d'.repeat(64)}  dist/b.zip\n`
    )
    expect(subjectChecksums([result('dist/a.zip')], OUT)).toBe('')
  })
})

describe('writeSubjectChecksums', () => {
  it('writes the file under the temp root, one line per downloaded file', async () => {
    const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'checksums-test-'))
    const outputDir = path.join(temp, 'signed')
    fs.mkdirSync(path.join(outputDir, 'dist'), { recursive: true })
    const signed = path.join(outputDir, 'dist', 'a.zip')
    fs.writeFileSync(signed, 'hello')
    // sha256sum of 'hello'; downloadSignedObject's own test checks the hashing.
    const sha = '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'

    const file = await writeSubjectChecksums(
      [{ ...result('dist/a.zip'), signedPath: signed, signedSha256: sha }],
      outputDir,
      temp
    )
    expect(file && path.dirname(path.dirname(file))).toBe(temp)
    expect(fs.readFileSync(file as string, 'utf8')).toBe(`${sha}  dist/a.zip\n`)
    expect(await writeSubjectChecksums([result('dist/a.zip')], outputDir, temp)).toBeUndefined()
  })
})
