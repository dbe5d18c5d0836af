import * as fs from 'node:fs'
import * as path from 'node:path'
import { LocalStack, startStack } from '../../scripts/stack'
import { errorLines, makeWorkspace, runAction } from '../../scripts/run-action'
import { GitHubReleasesFake, startGitHubReleasesFake } from '../support/github-releases-fake'
import { jobsOutput, sign } from './sign-support'
import { lambdaZip } from '../../emulator/testing'

let stack: LocalStack
let github: GitHubReleasesFake
beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 50 })
  github = await startGitHubReleasesFake()
})
afterAll(async () => {
  await stack?.stop()
  await github?.stop()
})

const ARTIFACTS = {
  'dist/api.zip': lambdaZip('api bundle'),
  'dist/worker.zip': lambdaZip('worker bundle'),
  'edge/auth.zip': lambdaZip('edge bundle')
}

function merge(workspace: string, inputs: Record<string, string>) {
  return runAction({ workspace, env: stack.env, inputs: { mode: 'merge', ...inputs } })
}

/** Two shards of a matrix and one run of every artifact, all of the same commit, in one workspace. */
async function signShardsAndWhole(workspace: string): Promise<void> {
  for (const [paths, outputDir] of [
    ['dist/api.zip', 'shards/one'],
    ['dist/worker.zip\nedge/auth.zip', 'shards/two'],
    ['dist/*.zip\nedge/*.zip', 'whole']
  ]) {
    const run = await sign(stack, { path: paths, 'output-dir': outputDir }, { workspace })
    expect(errorLines(run)).toEqual([])
  }
}

describe('mode: merge', () => {
  it("writes the manifest, checksums and jobs one run of every artifact writes, from the shards' manifests", async () => {
    const workspace = makeWorkspace(ARTIFACTS)
    await signShardsAndWhole(workspace)
    const wholeRun = await sign(
      stack,
      { path: 'dist/*.zip\nedge/*.zip', 'output-dir': 'whole' },
      { workspace }
    )
    await stack.emulator.admin.clearCalls()

    const run = await merge(workspace, { path: 'shards/*/manifest.json', 'output-dir': 'release' })
    expect(errorLines(run)).toEqual([])
    expect(run.exitCode).toBe(0)
    const read = (...parts: string[]) => fs.readFileSync(path.join(workspace, ...parts))

    expect(run.outputs['manifest-path']).toBe(path.join(workspace, 'release', 'manifest.json'))
    expect(read('release', 'manifest.json').toString()).toBe(read('whole', 'manifest.json').toString())
    const whole = JSON.parse(read('whole', 'manifest.json').toString())
    expect(whole.jobs).toHaveLength(3)

    const checksums = fs.readFileSync(run.outputs['subject-checksums'], 'utf8')
    expect(
      checksums
        .split('\n')
        .filter(Boolean)
        .map(line => line.split('  ')[1])
    ).toEqual(['dist/api.zip', 'dist/worker.zip', 'edge/auth.zip'])
    for (const name of Object.keys(ARTIFACTS)) {
      expect(read('release', name).equals(read('whole', name))).toBe(true)
    }

    const expected = jobsOutput(wholeRun).map(job => ({
      ...job,
      clientRequestToken: null,
      signedPath: path.join(workspace, 'release', job.path)
    }))
    expect(jobsOutput(run)).toEqual(expected)
    // merge reads files only: not one Signer call.
    expect(await stack.emulator.admin.calls()).toEqual([])
  })

  it('attaches the merged set to the release: every signed file once, and the merged manifest', async () => {
    const workspace = makeWorkspace({
      'dist/api.zip': lambdaZip('api bundle'),
      'edge/auth.zip': lambdaZip('edge bundle')
    })
    for (const [paths, outputDir] of [
      ['dist/api.zip', 'shards/one'],
      ['edge/auth.zip', 'shards/two']
    ]) {
      expect(errorLines(await sign(stack, { path: paths, 'output-dir': outputDir }, { workspace }))).toEqual(
        []
      )
    }
    github.addRelease('acme/firmware', 'v1.2.3')
    const run = await runAction({
      workspace,
      env: { ...stack.env, GITHUB_API_URL: github.url },
      inputs: {
        mode: 'merge',
        path: 'shards/*/manifest.json',
        'release-upload': 'true',
        'github-token': 'ghs_fakeMergeToken0123456789'
      }
    })
    expect(errorLines(run)).toEqual([])
    const assets = github.assets('acme/firmware', 'v1.2.3')
    const read = (...parts: string[]) => fs.readFileSync(path.join(workspace, ...parts))
    expect(assets.map(asset => asset.name).sort()).toEqual(['api.zip', 'auth.zip', 'manifest.json'])
    const byName = new Map(assets.map(asset => [asset.name, asset.content]))
    expect(byName.get('api.zip')?.equals(read('shards', 'one', 'dist', 'api.zip'))).toBe(true)
    expect(byName.get('manifest.json')?.equals(read('signed', 'manifest.json'))).toBe(true)
    expect(JSON.parse(read('signed', 'manifest.json').toString()).jobs).toHaveLength(2)
  })

  it('refuses two shards that disagree about a job, naming it, and writes nothing', async () => {
    const workspace = makeWorkspace(ARTIFACTS)
    await signShardsAndWhole(workspace)
    const manifestFile = path.join(workspace, 'shards', 'two', 'manifest.json')
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'))
    const [job] = manifest.jobs
    fs.mkdirSync(path.join(workspace, 'shards', 'forged'))
    const forged = { ...manifest, jobs: [{ ...job, source: { ...job.source, versionId: 'other-version' } }] }
    fs.writeFileSync(path.join(workspace, 'shards', 'forged', 'manifest.json'), JSON.stringify(forged))

    const run = await merge(workspace, { path: 'shards/*/manifest.json', 'output-dir': 'release' })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run)).toEqual([expect.stringContaining(`job ${job.jobId} differs between`)])
    expect(errorLines(run)[0]).toContain('(source)')
    expect(fs.existsSync(path.join(workspace, 'release', 'manifest.json'))).toBe(false)
  })

  it('refuses a signed file whose bytes are not the ones its manifest names', async () => {
    const workspace = makeWorkspace(ARTIFACTS)
    await signShardsAndWhole(workspace)
    fs.writeFileSync(path.join(workspace, 'shards', 'one', 'dist', 'api.zip'), 'swapped after signing')

    const run = await merge(workspace, { path: 'shards/*/manifest.json', 'output-dir': 'release' })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run)).toEqual([
      expect.stringContaining(`${path.join(workspace, 'shards', 'one', 'dist', 'api.zip')} has SHA-256`)
    ])
    expect(fs.existsSync(path.join(workspace, 'release', 'manifest.json'))).toBe(false)
  })

  it('is refused before anything is read when path matches no manifest', async () => {
    const workspace = makeWorkspace({})
    const run = await merge(workspace, { path: 'shards/*/manifest.json' })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run)).toEqual([
      expect.stringMatching(/^::error::Input 'path': no shard manifest matched 'shards\/\*\/manifest.json'/)
    ])
  })
})
