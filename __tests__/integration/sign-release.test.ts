import * as fs from 'node:fs'
import * as path from 'node:path'
import { LocalStack, startStack } from '../../scripts/stack'
import { errorLines, makeWorkspace } from '../../scripts/run-action'
import { GitHubReleasesFake, startGitHubReleasesFake } from '../support/github-releases-fake'
import { operations, sha256, sign } from './sign-support'
import { lambdaZip } from '../../emulator/testing'

const REPOSITORY = 'acme/firmware'
const TOKEN = 'ghs_fakeReleaseToken0123456789abcdef'

let stack: LocalStack
let github: GitHubReleasesFake
beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 100 })
  github = await startGitHubReleasesFake()
})
afterAll(async () => {
  await stack?.stop()
  await github?.stop()
})
beforeEach(async () => {
  await stack.emulator.admin.clearCalls()
  github.requests.length = 0
})

function signForRelease(tag: string, workspace: string, ref = `refs/tags/${tag}`) {
  const firmware = fs.existsSync(path.join(workspace, 'firmware')) ? '\nfirmware/*.bin' : ''
  return sign(
    stack,
    { path: `dist/*${firmware}`, 'release-upload': 'true', 'github-token': TOKEN },
    {
      workspace,
      env: { GITHUB_API_URL: github.url },
      github: { GITHUB_REPOSITORY: REPOSITORY, GITHUB_REF: ref }
    }
  )
}

/** The token reaches the API and nothing else: the only line of the log that holds it is the mask command. */
function expectTokenNeverPrinted(stdout: string, stderr: string): void {
  expect(stdout.split('\n').filter(line => line.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`])
  expect(stderr).not.toContain(TOKEN)
}

describe("release-upload: the signed files become assets of the tag's GitHub release", () => {
  it('adds the signed files and the manifest to a release without assets', async () => {
    github.addRelease(REPOSITORY, 'v1.0.0')
    const workspace = makeWorkspace({
      'dist/function.zip': lambdaZip('lambda'),
      'firmware/board.bin': lambdaZip('firmware')
    })
    const run = await signForRelease('v1.0.0', workspace)
    expect(errorLines(run)).toEqual([])
    expect(run.exitCode).toBe(0)

    const assets = github.assets(REPOSITORY, 'v1.0.0')
    expect(assets.map(asset => [asset.name, asset.contentType]).sort()).toEqual([
      ['board.bin', 'application/octet-stream'],
      ['function.zip', 'application/octet-stream'],
      ['manifest.json', 'application/json']
    ])
    const file = (name: string) => fs.readFileSync(path.join(workspace, 'signed', name))
    const byName = new Map(assets.map(asset => [asset.name, asset.content]))
    expect(byName.get('function.zip')?.equals(file('dist/function.zip'))).toBe(true)
    expect(byName.get('board.bin')?.equals(file('firmware/board.bin'))).toBe(true)
    // The provenance manifest this run wrote goes along.
    expect(run.outputs['manifest-path']).toBe(path.join(workspace, 'signed', 'manifest.json'))
    expect(byName.get('manifest.json')?.equals(file('manifest.json'))).toBe(true)

    // subject-checksums lists the signed files (not the manifest), hashed as sha256sum hashes them.
    expect(fs.readFileSync(run.outputs['subject-checksums'], 'utf8')).toBe(
      `${sha256(file('dist/function.zip'))}  dist/function.zip\n` +
        `${sha256(file('firmware/board.bin'))}  firmware/board.bin\n`
    )

    // Read the release, list its assets, then one upload per file, each with its length and the token.
    const calls = github.requests.map(request => `${request.method} ${request.path.replace(/\?.*$/, '')}`)
    expect(calls.slice(0, 2)).toEqual([
      `GET /repos/${REPOSITORY}/releases/tags/v1.0.0`,
      expect.stringMatching(new RegExp(`^GET /repos/${REPOSITORY}/releases/\\d+/assets$`))
    ])
    const uploads = github.requests.filter(request => request.method === 'POST')
    expect(uploads).toHaveLength(3)
    for (const upload of uploads) {
      expect(upload.path).toMatch(new RegExp(`^/uploads/repos/${REPOSITORY}/releases/\\d+/assets\\?name=`))
      const name = new URL(upload.path, github.url).searchParams.get('name') ?? ''
      expect(upload.contentLength).toBe(String(byName.get(name)?.length))
    }
    expect(new Set(github.requests.map(request => request.authorization))).toEqual(
      new Set([`token ${TOKEN}`])
    )
    expect(github.requests.some(request => request.method === 'DELETE')).toBe(false)
    expectTokenNeverPrinted(run.stdout, run.stderr)
    expect(run.stdout).toContain('Added function.zip')
  })

  it('replaces an asset of the same name and leaves the others alone', async () => {
    github.addRelease(REPOSITORY, 'v2.0.0', [
      { name: 'function.zip', content: 'signed by an earlier run' },
      { name: 'NOTES.txt', content: 'release notes' }
    ])
    const [old] = github.assets(REPOSITORY, 'v2.0.0')
    const workspace = makeWorkspace({ 'dist/function.zip': lambdaZip('lambda v2') })

    const run = await signForRelease('v2.0.0', workspace)
    expect(errorLines(run)).toEqual([])
    expect(run.exitCode).toBe(0)

    const assets = github.assets(REPOSITORY, 'v2.0.0')
    // The run's manifest.json is attached too; the unrelated asset stays.
    expect(assets.map(asset => asset.name).sort()).toEqual(['NOTES.txt', 'function.zip', 'manifest.json'])
    const replaced = assets.find(asset => asset.name === 'function.zip')
    expect(replaced?.id).not.toBe(old.id)
    expect(
      replaced?.content.equals(fs.readFileSync(path.join(workspace, 'signed', 'dist', 'function.zip')))
    ).toBe(true)
    expect(assets.find(asset => asset.name === 'NOTES.txt')?.content.toString()).toBe('release notes')
    expect(github.requests.filter(r => r.method === 'DELETE').map(r => r.path)).toEqual([
      `/repos/${REPOSITORY}/releases/assets/${old.id}`
    ])
    expect(run.stdout).toContain('Replaced function.zip')
    expectTokenNeverPrinted(run.stdout, run.stderr)
  })

  it('a run not on a tag is refused before any AWS or GitHub call', async () => {
    const workspace = makeWorkspace({ 'dist/function.zip': lambdaZip('lambda') })
    const run = await signForRelease('unused', workspace, 'refs/heads/main')
    expect(run.exitCode).toBe(1)
    expect(errorLines(run)).toEqual([
      "::error::Input 'release-upload': needs a run on a tag (GITHUB_REF refs/tags/...), and this run is on " +
        "'refs/heads/main': nothing was signed. Run it on a tag (on: push: tags, or on: release), or set " +
        "release-upload: ${{ startsWith(github.ref, 'refs/tags/') }}"
    ])
    expect(await operations(stack)).toEqual([])
    expect(github.requests).toEqual([])
    expect(run.stdout + run.stderr).not.toContain(TOKEN)
  })

  it('a tag without a release fails after signing, saying how to create it', async () => {
    const workspace = makeWorkspace({ 'dist/function.zip': lambdaZip('lambda v3') })
    const run = await signForRelease('v3.0.0', workspace)
    expect(run.exitCode).toBe(1)
    expect(errorLines(run).join('\n')).toContain(
      `release-upload: ${REPOSITORY} has no release for tag v3.0.0 (or the token cannot see it): create it ` +
        'before this step (gh release create v3.0.0), or run on: release: types: [published]'
    )
    // Signed all the same, and the outputs say so.
    expect(run.outputs.status).toBe('Succeeded')
    expectTokenNeverPrinted(run.stdout, run.stderr)
  })
})
