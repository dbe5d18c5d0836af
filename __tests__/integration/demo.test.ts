import { execFileSync, spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { demoFunctionZip } from '../../scripts/demo'
import { basePython } from '../../scripts/python-tools'

const ROOT = path.join(__dirname, '../..')

describe('npm run demo', () => {
  it("signs a real zip: Python's zipfile reads it, its CRCs check, and it holds the handler", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'demo-zip-')), 'function.zip')
    try {
      fs.writeFileSync(file, demoFunctionZip())
      const read = execFileSync(
        basePython(),
        [
          '-c',
          'import json, sys, zipfile\n' +
            'with zipfile.ZipFile(sys.argv[1]) as z:\n' +
            '    print(json.dumps({"bad": z.testzip(), "names": z.namelist(), "index": z.read("index.mjs").decode()}))',
          file
        ],
        { encoding: 'utf8' }
      )
      expect(JSON.parse(read)).toEqual({
        bad: null,
        names: ['index.mjs'],
        index: expect.stringContaining('export const handler')
      })
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true })
    }
  })

  it('passes, and leaves nothing in the temp folder', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-tmp-'))
    try {
      const run = spawnSync('npm', ['run', '--silent', 'demo'], {
        cwd: ROOT,
        env: { ...process.env, TMPDIR: tmp },
        encoding: 'utf8',
        timeout: 90000
      })
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' })
      expect(run.stdout).toMatch(/Demo passed: signed\/build\/function\.zip \(\d+ bytes\) signed by job /)
      // The compile caches of the tools that run it (tsx's, and Node's that npm turns on) are theirs.
      const toolCaches = /^(tsx-\d+|node-compile-cache)$/
      expect(fs.readdirSync(tmp).filter(name => !toolCaches.test(name))).toEqual([])
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true })
    }
  })
})
