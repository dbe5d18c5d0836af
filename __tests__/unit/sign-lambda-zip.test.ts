import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { lambdaZip, zipArchive } from '../../emulator/testing'
import { checkLambdaZips, zipProblem } from '../../src/sign/lambda-zip'
import { Artifact } from '../../src/sign/types'

/** What the preflight reads of a file: its first 4 bytes and its last 64 KiB + 22. */
const peek = (bytes: Buffer) => zipProblem(bytes.subarray(0, 4), bytes.subarray(-(0xffff + 22)))

describe('zipProblem', () => {
  it('accepts a zip with entries, with or without an archive comment', () => {
    expect(peek(lambdaZip('exports.handler = 1'))).toBeUndefined()
    expect(peek(zipArchive({ 'a.js': 'a', 'b/c.js': 'c' }))).toBeUndefined()
    const withComment = Buffer.concat([lambdaZip('x'), Buffer.from('release 1.2')])
    withComment.writeUInt16LE(11, withComment.length - 11 - 2)
    expect(peek(withComment)).toBeUndefined()
  })

  it('names what is wrong: not a zip, an empty archive, a truncated one', () => {
    expect(peek(Buffer.from('#!/bin/sh\necho hi\n'))).toBe(
      'is not a zip file (it does not start with PK\\x03\\x04)'
    )
    expect(peek(Buffer.from('PK'))).toBe('is not a zip file (it does not start with PK\\x03\\x04)')
    expect(peek(zipArchive({}))).toBe('is an empty zip file (no entries)')
    expect(peek(lambdaZip('cut short').subarray(0, 40))).toBe(
      'is a malformed zip file (no end-of-central-directory record: truncated?)'
    )
    // Bytes after the end record that its comment length does not cover: not where a reader looks.
    expect(peek(Buffer.concat([lambdaZip('x'), Buffer.from('trailing')]))).toMatch(/malformed/)
  })

  it('reads an end record whose entry count is 0 as empty even when the file starts like a zip', () => {
    const zip = lambdaZip('x')
    zip.writeUInt16LE(0, zip.length - 12)
    expect(peek(zip)).toBe('is an empty zip file (no entries)')
  })
})

describe('checkLambdaZips', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-zip-'))
  const file = (name: string, bytes: Buffer | string): Artifact => {
    const full = path.join(dir, name)
    fs.writeFileSync(full, bytes)
    return { path: full, relativePath: name, size: fs.statSync(full).size, sha256: '' }
  }

  it('passes zips, skips empty files (refused elsewhere) and objects already in S3', async () => {
    const object: Artifact = {
      path: 's3://b/k',
      relativePath: 's3://b/k',
      size: 10,
      sha256: '',
      object: { bucket: 'b', key: 'k', versionId: 'v', reused: true }
    }
    await expect(
      checkLambdaZips('AWSLambda-SHA384-ECDSA', [file('ok.zip', lambdaZip('ok')), file('none', ''), object])
    ).resolves.toBeUndefined()
  })

  it('refuses every bad file at once, each name quoted as data', async () => {
    await expect(
      checkLambdaZips('AWSLambda-SHA384-ECDSA', [
        file('ok.zip', lambdaZip('ok')),
        file('notes\n::error::x.txt', 'text'),
        file('empty.zip', zipArchive({}))
      ])
    ).rejects.toThrow(
      'Platform AWSLambda-SHA384-ECDSA signs zip files only, and fails a zip that is empty or malformed: ' +
        '"notes\\n::error::x.txt" is not a zip file (it does not start with PK\\x03\\x04); ' +
        '"empty.zip" is an empty zip file (no entries).'
    )
  })

  it('says which file it could not read', async () => {
    const gone: Artifact = { path: path.join(dir, 'gone.zip'), relativePath: 'gone.zip', size: 5, sha256: '' }
    await expect(checkLambdaZips('AWSLambda-SHA384-ECDSA', [gone])).rejects.toThrow(
      'Could not read "gone.zip"'
    )
  })
})
