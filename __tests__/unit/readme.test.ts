import * as fs from 'node:fs'
import * as path from 'node:path'
import * as yaml from 'js-yaml'

/** The README documents every input and output of action.yml, and its workflow snippets are safe to copy. */

const ROOT = path.join(__dirname, '../..')
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
const action = yaml.load(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}

/** The text of a `## Heading` section, up to the next `## ` heading. */
function section(heading: string): string {
  const lines = readme.split('\n')
  const start = lines.indexOf(`## ${heading}`)
  if (start === -1) throw new Error(`README has no section '## ${heading}'`)
  const end = lines.findIndex((line, index) => index > start && line.startsWith('## '))
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n')
}

/** The names in the first column of a section's table rows: | `name` | ... */
function tableNames(heading: string): string[] {
  return [...section(heading).matchAll(/^\| `([a-z0-9-]+)` +\|/gm)].map(match => match[1])
}

/** Every `uses:` value inside the README's fenced code blocks. */
function usesInCodeBlocks(): string[] {
  const blocks = [...readme.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].map(match => match[1])
  return blocks.flatMap(block => [...block.matchAll(/^[\s-]*uses:\s*(\S+)/gm)].map(match => match[1]))
}

describe('README', () => {
  it('has a row in its Inputs table for every input of action.yml, and none for an input it lacks', () => {
    const rows = tableNames('Inputs')
    expect([...rows].sort()).toEqual(Object.keys(action.inputs).sort())
  })

  it('has a row in its Outputs table for every output of action.yml, and none for an output it lacks', () => {
    const rows = tableNames('Outputs')
    expect([...rows].sort()).toEqual(Object.keys(action.outputs).sort())
  })

  it('pins every action its workflow snippets use by a 40-hex commit SHA', () => {
    const uses = usesInCodeBlocks()
    expect(uses.length).toBeGreaterThan(0)
    const unpinned = uses.filter(value => !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(value))
    expect(unpinned).toEqual([])
  })
})
