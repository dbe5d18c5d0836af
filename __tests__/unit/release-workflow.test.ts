import { execFileSync, spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { loadWorkflow } from '../support/workflows'

/**
 * The release workflow moves the major tag users pin: it must move it to the commit it checked, only for a
 * commit on main, and never backwards. The decision is .github/scripts/release-target.sh, run here against
 * a real git repository; the workflow around it is read for how it uses the result.
 */

const ROOT = path.join(__dirname, '../..')
const SCRIPT = path.join(ROOT, '.github/scripts/release-target.sh')

let repo: string
const git = (...args: string[]): string =>
  execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com'
    }
  }).trim()
const commit = (message: string): string => {
  git('commit', '--allow-empty', '-q', '-m', message)
  return git('rev-parse', 'HEAD')
}

/** main: c1 (v1.0.0) - c2 (v1.1.0, v1) - c3 (v1.2.0, v1.0.9); branch side: c4 (v1.3.0). */
const commits: Record<string, string> = {}
beforeAll(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'release-repo-'))
  git('init', '-q', '-b', 'main')
  commits.c1 = commit('c1')
  git('tag', 'v1.0.0')
  commits.c2 = commit('c2')
  git('tag', 'v1.1.0')
  git('tag', '-a', 'v1', '-m', 'major')
  commits.c3 = commit('c3')
  git('tag', 'v1.2.0')
  git('tag', 'v1.0.9')
  git('tag', 'v2.0.0')
  git('checkout', '-q', '-b', 'side')
  commits.c4 = commit('c4')
  git('tag', 'v1.3.0')
  git('checkout', '-q', 'main')
})
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }))

function target(tag: string, major: string): { status: number; out: Record<string, string>; log: string } {
  git('checkout', '-q', `refs/tags/${tag}`)
  const outputFile = path.join(repo, '..', `${path.basename(repo)}-output`)
  fs.writeFileSync(outputFile, '')
  const run = spawnSync('bash', [SCRIPT], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, TAG: tag, MAJOR: major, MAIN_REF: 'main', GITHUB_OUTPUT: outputFile }
  })
  const out = Object.fromEntries(
    fs
      .readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(line => line.split('=', 2) as [string, string])
  )
  fs.rmSync(outputFile)
  return { status: run.status ?? -1, out, log: run.stdout + run.stderr }
}

describe('release-target.sh', () => {
  it('gives the commit SHA of a newer release on main, and what vX held (an annotated tag object)', () => {
    const result = target('v1.2.0', 'v1')
    expect(result.status).toBe(0)
    expect(result.out.sha).toBe(commits.c3)
    expect(result.out.previous).toBe(git('rev-parse', 'refs/tags/v1'))
    expect(result.out.previous).not.toBe(commits.c2) // the tag object, as the refs API reports it
  })

  it('refuses a release whose commit is not on main', () => {
    const result = target('v1.3.0', 'v1')
    expect(result.status).not.toBe(0)
    expect(result.log).toMatch(/v1.3.0 .* is not on main/)
    expect(result.out).toEqual({})
  })

  it('refuses to move vX backwards, even to a later commit on main', () => {
    const result = target('v1.0.9', 'v1')
    expect(result.status).not.toBe(0)
    expect(result.log).toMatch(/v1 points to v1.1.0, newer than v1.0.9: the major tag never moves backwards/)
  })

  it('allows the release vX already stands for again (a re-run)', () => {
    expect(target('v1.1.0', 'v1')).toMatchObject({ status: 0, out: { sha: commits.c2 } })
  })

  it('starts a new major tag that does not exist yet', () => {
    expect(target('v2.0.0', 'v2')).toMatchObject({ status: 0, out: { sha: commits.c3, previous: '' } })
  })
})

describe('.github/workflows/release.yml', () => {
  const { check, 'move-major-tag': move } = loadWorkflow(
    path.join(ROOT, '.github/workflows'),
    'release.yml'
  ).jobs

  it('decides with the script, in the read-only job, from a full checkout against origin/main', () => {
    expect(check.permissions).toEqual({ contents: 'read' })
    const checkout = (check.steps ?? []).find(step => step.uses?.startsWith('actions/checkout@'))
    expect(checkout?.with).toMatchObject({ 'fetch-depth': 0, 'persist-credentials': false })
    const decide = (check.steps ?? []).find(step => step.run?.includes('release-target.sh'))
    expect(decide?.env?.MAIN_REF).toBe('origin/main')
    expect(check.outputs?.sha).toBe('${{ steps.target.outputs.sha }}')
  })

  it('moves the tag to the SHA the check gave, comparing with what vX held, with no checkout', () => {
    expect(move.needs).toBe('check')
    expect(move.permissions).toEqual({ contents: 'write' })
    expect((move.steps ?? []).some(step => step.uses)).toBe(false)
    const [step] = move.steps ?? []
    expect(step.env).toMatchObject({
      SHA: '${{ needs.check.outputs.sha }}',
      PREVIOUS: '${{ needs.check.outputs.previous }}'
    })
    // The ref is set to $SHA only: never to the tag name, which could be resolved to another commit by then.
    expect(step.run).toMatch(/-f sha="\$SHA"/)
    expect(step.run).not.toMatch(/\$TAG\^|git (tag|push)/)
    expect(step.run).toMatch(/if \[ "\$current" != "\$PREVIOUS" \]/)
  })
})
