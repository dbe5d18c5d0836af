import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as core from '@actions/core'
import { InputError } from '../../src/errors'
import {
  hashFile,
  matchFiles,
  resolveArtifacts,
  rootPattern,
  workspaceRelative
} from '../../src/sign/artifacts'
import { makeWorkspace } from '../../scripts/run-action'

// @actions/glob narrates every search in ::debug:: lines; keep the test output readable.
beforeAll(() => jest.spyOn(core, 'debug').mockImplementation(() => {}))

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex')

describe('rootPattern', () => {
  it('roots relative patterns at the workspace, keeping negations', () => {
    expect(rootPattern('dist/*.zip', '/ws')).toBe('/ws/dist/*.zip')
    expect(rootPattern('  !dist/skip.zip ', '/ws')).toBe('!/ws/dist/skip.zip')
    expect(rootPattern('!!dist/a', '/ws')).toBe('!!/ws/dist/a')
  })

  it('leaves absolute patterns, home patterns and comments alone', () => {
    expect(rootPattern('/opt/build/a.bin', '/ws')).toBe('/opt/build/a.bin')
    expect(rootPattern('~/a.bin', '/ws')).toBe('~/a.bin')
    expect(rootPattern('# a comment', '/ws')).toBe('# a comment')
  })
})

describe('workspaceRelative', () => {
  it('gives a /-separated path inside the workspace, undefined outside', () => {
    expect(workspaceRelative('/ws/dist/a.zip', '/ws')).toBe('dist/a.zip')
    expect(workspaceRelative('/elsewhere/a.zip', '/ws')).toBeUndefined()
    expect(workspaceRelative('/ws', '/ws')).toBeUndefined()
    expect(workspaceRelative('/ws-other/a.zip', '/ws')).toBeUndefined()
    expect(workspaceRelative('/ws/../a.zip', '/ws')).toBeUndefined()
  })

  it('keeps names that only start with two dots', () => {
    expect(workspaceRelative('/ws/..weird.zip', '/ws')).toBe('..weird.zip')
    expect(workspaceRelative('/ws/..cache/app.zip', '/ws')).toBe('..cache/app.zip')
  })
})

describe('matchFiles and resolveArtifacts', () => {
  let workspace: string
  beforeAll(() => {
    workspace = makeWorkspace({
      'dist/a.zip': 'alpha',
      'dist/b.zip': 'bravo',
      'dist/nested/c.bin': 'charlie',
      'dist/readme.txt': 'not an artifact',
      'firmware.bin': Buffer.from([0, 1, 2, 3, 255])
    })
    fs.mkdirSync(path.join(workspace, 'dist', 'folder.zip'))
    fs.symlinkSync(path.join(workspace, 'dist', 'a.zip'), path.join(workspace, 'dist', 'link-to-a.zip'))
  })
  afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }))

  it('resolves globs from the workspace, skips directories, removes duplicates and sorts', async () => {
    const files = await matchFiles(['dist/*.zip', 'dist/a.zip', 'firmware.bin', 'dist/**/*.bin'], workspace)
    expect(files.map(file => path.relative(workspace, file))).toEqual([
      'dist/a.zip',
      'dist/b.zip',
      'dist/link-to-a.zip',
      'dist/nested/c.bin',
      'firmware.bin'
    ])
  })

  it('applies negations', async () => {
    const files = await matchFiles(['dist/*.zip', '!dist/b.zip', '!dist/link-*'], workspace)
    expect(files.map(file => path.relative(workspace, file))).toEqual(['dist/a.zip'])
  })

  it('does not depend on the process cwd', async () => {
    const cwd = process.cwd()
    process.chdir(os.tmpdir())
    try {
      expect(await matchFiles(['firmware.bin'], workspace)).toEqual([path.join(workspace, 'firmware.bin')])
    } finally {
      process.chdir(cwd)
    }
  })

  it('hashes and sizes each file', async () => {
    const artifacts = await resolveArtifacts(['dist/a.zip', 'firmware.bin'], workspace)
    expect(artifacts).toEqual([
      {
        path: path.join(workspace, 'dist/a.zip'),
        relativePath: 'dist/a.zip',
        size: 5,
        sha256: sha256('alpha')
      },
      {
        path: path.join(workspace, 'firmware.bin'),
        relativePath: 'firmware.bin',
        size: 5,
        sha256: sha256(Buffer.from([0, 1, 2, 3, 255]))
      }
    ])
  })

  it('fails with an InputError naming the patterns when nothing matches', async () => {
    const error = await resolveArtifacts(['nothing/*.zip', 'dist/folder.zip'], workspace).catch(e => e)
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toBe(
      `Input 'path': no file matched 'nothing/*.zip', 'dist/folder.zip' in the workspace ${workspace}`
    )
  })

  it('leaves out the signed copies under output-dir, so a broad glob does not sign them again', async () => {
    const dir = makeWorkspace({ 'app.zip': 'unsigned', 'signed/app.zip': 'signed copy', '..odd/x.zip': 'x' })
    try {
      const artifacts = await resolveArtifacts(['**/*.zip'], dir, { excludeDir: path.join(dir, 'signed') })
      expect(artifacts.map(artifact => artifact.relativePath)).toEqual(['..odd/x.zip', 'app.zip'])
      const error = await resolveArtifacts(['signed/*.zip'], dir, {
        excludeDir: path.join(dir, 'signed')
      }).catch(e => e)
      expect(error).toBeInstanceOf(InputError)
      expect(error.message).toContain(`outside output-dir ${path.join(dir, 'signed')}`)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses files outside the workspace', async () => {
    const outside = makeWorkspace({ 'elsewhere.bin': 'x' })
    try {
      const error = await resolveArtifacts([path.join(outside, 'elsewhere.bin')], workspace).catch(e => e)
      expect(error).toBeInstanceOf(InputError)
      expect(error.message).toContain(
        `outside the workspace ${workspace}: ${path.join(outside, 'elsewhere.bin')}`
      )
    } finally {
      fs.rmSync(outside, { recursive: true, force: true })
    }
  })
})

describe('hashFile', () => {
  it('streams: a file larger than one read chunk hashes as a whole', async () => {
    const dir = makeWorkspace()
    const file = path.join(dir, 'big.bin')
    const data = Buffer.alloc(3 * 1024 * 1024 + 17, 7)
    data.write('start', 0)
    data.write('end', data.length - 3)
    fs.writeFileSync(file, data)
    try {
      expect(await hashFile(file)).toEqual({ sha256: sha256(data), size: data.length })
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('hashes an empty file', async () => {
    const dir = makeWorkspace({ empty: '' })
    expect(await hashFile(path.join(dir, 'empty'))).toEqual({ sha256: sha256(''), size: 0 })
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
