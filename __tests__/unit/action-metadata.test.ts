import * as fs from 'node:fs'
import * as path from 'node:path'
import * as yaml from 'js-yaml'

/** What the GitHub Marketplace requires of action.yml, and what a release needs of package.json. */

const ROOT = path.join(__dirname, '../..')
const action = yaml.load(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  name: string
  description: string
  author: string
  branding: { icon: string; color: string }
  runs: { using: string; main: string }
}
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>

describe('action.yml is ready for the Marketplace', () => {
  it('has a name and a description of at most 125 characters', () => {
    expect(action.name.length).toBeGreaterThan(0)
    expect(action.description.length).toBeGreaterThan(0)
    expect(action.description.length).toBeLessThanOrEqual(125)
    expect(action.author.length).toBeGreaterThan(0)
  })

  it('has branding with one of the Marketplace colours', () => {
    expect(action.branding.icon).toMatch(/^[a-z0-9-]+$/)
    expect(['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']).toContain(
      action.branding.color
    )
  })

  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(pkg.main).toBe(action.runs.main)
  })
})

describe('package.json describes the release', () => {
  it('has a semantic version with its entry in CHANGELOG.md', () => {
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/)
    const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8')
    expect(changelog).toContain(`## [${pkg.version as string}] - `)
    expect(changelog).toContain('## [Unreleased]')
  })

  it('has a description, keywords, the MIT licence of LICENSE, and a repository', () => {
    expect(String(pkg.description).length).toBeGreaterThan(20)
    expect(pkg.keywords).toEqual(expect.arrayContaining(['github-action', 'aws-signer']))
    expect(pkg.license).toBe('MIT')
    expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License/)
    expect(pkg.repository).toEqual({
      type: 'git',
      url: expect.stringMatching(/^git\+https:\/\/github\.com\//)
    })
  })
})
