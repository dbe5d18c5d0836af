import * as fs from 'node:fs'
import * as path from 'node:path'
import { OUTPUT_NAMES } from '../../src/report/outputs'

/** The names under a top-level section of action.yml (two-space indented keys). */
function declaredNames(section: 'inputs' | 'outputs'): string[] {
  const yaml = fs.readFileSync(path.join(__dirname, '..', '..', 'action.yml'), 'utf8')
  const lines = yaml.split('\n')
  const start = lines.indexOf(`${section}:`)
  const names: string[] = []
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break
    const key = /^ {2}([a-z0-9-]+):\s*$/.exec(line)
    if (key) names.push(key[1])
  }
  return names
}

describe('action.yml and the code stay in step', () => {
  it('declares exactly the outputs the code can set', () => {
    expect(declaredNames('outputs').sort()).toEqual([...OUTPUT_NAMES].sort())
  })

  it('declares every input the config reads', () => {
    const src = path.join(__dirname, '..', '..', 'src')
    const configFiles = fs.readdirSync(path.join(src, 'config')).map(file => path.join('config', file))
    const sources = [...configFiles, 'aws.ts']
      .map(file => fs.readFileSync(path.join(src, file), 'utf8'))
      .join('\n')
    const read = new Set<string>()
    for (const match of sources.matchAll(/\(read, '([a-z0-9-]+)'/g)) read.add(match[1])
    for (const match of sources.matchAll(/read\('([a-z0-9-]+)'\)/g)) read.add(match[1])
    expect(read.size).toBeGreaterThan(20)
    expect([...read].filter(name => !declaredNames('inputs').includes(name))).toEqual([])
  })
})
