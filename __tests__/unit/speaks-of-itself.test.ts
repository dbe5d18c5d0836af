import * as fs from 'node:fs'
import * as path from 'node:path'

/** The product speaks of itself: no paths of the machine a benchmark ran on, no issue numbers as sources. */

const ROOT = path.join(__dirname, '../..')
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8')

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(strings)
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings)
  return []
}

describe('bench/results.json', () => {
  const results = JSON.parse(read('bench/results.json')) as { machine: Record<string, unknown> }

  it('describes the machine', () => {
    expect(results.machine).toEqual(
      expect.objectContaining({
        cpuModel: expect.any(String),
        cpus: expect.any(Number),
        node: expect.any(String)
      })
    )
  })

  it('holds no absolute path', () => {
    expect(strings(results).filter(text => /^(\/|[A-Za-z]:\\|~\/)/.test(text))).toEqual([])
  })
})

describe('the docs and scripts', () => {
  it.each(['CONTRIBUTING.md', 'scripts/run-action.ts', 'scripts/python-tools.ts'])(
    '%s does not speak of the machines it is built on',
    file => {
      expect(read(file)).not.toMatch(/these machines/i)
    }
  )

  it("cites AWS in the emulator's fidelity table, not an issue of this project", () => {
    // Another project's issue (aws/aws-cli issue 7820) is a tested client's report, a source; ours is not.
    expect(read('emulator/README.md')).not.toMatch(/(?<!\/[\w.-]+ )\bissue \d+/i)
    expect('as aws/aws-cli issue 7820 shows').not.toMatch(/(?<!\/[\w.-]+ )\bissue \d+/i)
    expect('Issue 8 ("Signer fails")').toMatch(/(?<!\/[\w.-]+ )\bissue \d+/i)
  })
})
