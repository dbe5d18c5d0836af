import * as fs from 'node:fs'
import * as path from 'node:path'
import * as yaml from 'js-yaml'
import { anchors, prose } from '../support/markdown'

/**
 * The README leads a newcomer and stays short; docs/ holds the reference. Together they document every input
 * and output of action.yml as action.yml says it, their workflow snippets are safe to copy, and every link
 * between them lands on a file and a heading that exist.
 */

const ROOT = path.join(__dirname, '../..')
const README = path.join(ROOT, 'README.md')
const DOCS = path.join(ROOT, 'docs')
const docFiles = fs
  .readdirSync(DOCS)
  .filter(name => name.endsWith('.md'))
  .map(name => path.join(DOCS, name))
const markdownFiles = [README, ...docFiles]

interface ActionEntry {
  description: string
  default?: string
}
const action = yaml.load(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, ActionEntry>
  outputs: Record<string, ActionEntry>
}

const read = (file: string): string => fs.readFileSync(file, 'utf8')
const relative = (file: string): string => path.relative(ROOT, file)

/** The cells of a table row, trimmed: | a | b | -> ['a', 'b']. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map(cell => cell.trim())
}

interface Row {
  file: string
  cells: string[]
}

/** The body rows of every table whose first header cell is `column` (`input` or `output`), in every docs/ page. */
function tableRows(column: string): Row[] {
  const rows: Row[] = []
  for (const file of docFiles) {
    const lines = prose(read(file)).split('\n')
    lines.forEach((line, index) => {
      if (!line.startsWith('|') || cells(line)[0] !== column) return
      for (let next = index + 2; next < lines.length && lines[next].startsWith('|'); next++) {
        rows.push({ file: relative(file), cells: cells(lines[next]) })
      }
    })
  }
  return rows
}

/** Code spans and quotes are typography in a table and in YAML alike: compare the words. */
function words(text: string): string {
  return text.replace(/[`"]/g, '').replace(/\s+/g, ' ').trim()
}

/** The name in a row's first cell: `name`. */
function rowName(row: Row): string {
  return row.cells[0].replace(/`/g, '')
}

/** Every link target written [text](target) outside code, with the file it is in. */
function links(): { file: string; target: string }[] {
  return markdownFiles.flatMap(file =>
    [
      ...prose(read(file))
        .replace(/`[^`\n]*`/g, '``')
        .matchAll(/\]\(([^)\s]+)\)/g)
    ].map(match => ({
      file,
      target: match[1]
    }))
  )
}

describe('README and docs/', () => {
  it('keeps the README under 450 lines', () => {
    expect(read(README).split('\n').length).toBeLessThan(450)
  })

  it.each([
    ['input', 'inputs'],
    ['output', 'outputs']
  ] as const)(
    'documents every %s of action.yml in exactly one docs/ table, and none it lacks',
    (column, key) => {
      const names = tableRows(column).map(rowName)
      const twice = names.filter((name, index) => names.indexOf(name) !== index)
      expect(twice).toEqual([])
      expect([...names].sort()).toEqual(Object.keys(action[key]).sort())
    }
  )

  it("gives each input action.yml's default and description", () => {
    const rows = tableRows('input')
    expect(rows.length).toBeGreaterThan(0)
    const differing = rows.filter(row => {
      const entry = action.inputs[rowName(row)]
      return (
        words(row.cells[1]) !== words(entry?.default ?? '') ||
        words(row.cells[2]) !== words(entry.description)
      )
    })
    expect(differing.map(row => `${row.file}: ${row.cells.join(' | ')}`)).toEqual([])
  })

  it("gives each output action.yml's description", () => {
    const rows = tableRows('output')
    expect(rows.length).toBeGreaterThan(0)
    const differing = rows.filter(
      row => words(row.cells[1]) !== words(action.outputs[rowName(row)].description)
    )
    expect(differing.map(row => `${row.file}: ${row.cells.join(' | ')}`)).toEqual([])
  })

  it('pins every action its workflow snippets use by a 40-hex commit SHA', () => {
    const uses = markdownFiles.flatMap(file => {
      const blocks = [...read(file).matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].map(match => match[1])
      return blocks.flatMap(block => [...block.matchAll(/^[\s-]*uses:\s*(\S+)/gm)].map(match => match[1]))
    })
    expect(uses.length).toBeGreaterThan(0)
    const unpinned = uses.filter(value => !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(value))
    expect(unpinned).toEqual([])
  })

  it('links only to files and headings that exist', () => {
    const found = links()
    expect(found.length).toBeGreaterThan(20)
    const broken = found.filter(({ file, target }) => {
      if (/^[a-z]+:/.test(target)) return false // https:, mailto: are not checked here
      const [pathPart, anchor] = target.split('#')
      const destination = pathPart === '' ? file : path.resolve(path.dirname(file), pathPart)
      if (!fs.existsSync(destination)) return true
      if (anchor === undefined) return false
      return !destination.endsWith('.md') || !anchors(read(destination)).has(anchor)
    })
    expect(broken.map(({ file, target }) => `${relative(file)}: ${target}`)).toEqual([])
  })

  it('reads a heading as GitHub anchors it', () => {
    expect([...anchors('## Sign an object already in S3: `source-object`\n## FAQ\n## FAQ\n')]).toEqual([
      'sign-an-object-already-in-s3-source-object',
      'faq',
      'faq-1'
    ])
    expect([
      ...anchors("### My account already has GitHub's OIDC provider\n```sh\n# not a heading\n```\n")
    ]).toEqual(['my-account-already-has-githubs-oidc-provider'])
  })
})
