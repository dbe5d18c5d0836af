import { LocalStack, startStack } from '../../scripts/stack'
import { JOB_TOKEN, errorLines, makeWorkspace } from '../../scripts/run-action'
import { GitHubReleasesFake, startGitHubReleasesFake } from '../support/github-releases-fake'
import { jobsOutput, operations, sign, versionsUnder } from './sign-support'
import { lambdaZip } from '../../emulator/testing'

/**
 * The inputs that decide what a sign step does, through the bundle as the runner runs it (with
 * action.yml's defaults passed for every step): a path line that matches nothing, an input of another
 * mode, github-token's default, and the single-artifact outputs of a run that signs several files.
 */

let stack: LocalStack
beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 100 })
})
afterAll(async () => {
  await stack?.stop()
})
beforeEach(async () => {
  await stack.emulator.admin.clearCalls()
})

const warnings = (stdout: string): string[] => stdout.split('\n').filter(line => line.startsWith('::warning'))

/** Nothing reached AWS: no Signer call, no object under the workspace's prefix. */
async function expectNoAwsCall(prefix: string): Promise<void> {
  expect(await operations(stack)).toEqual([])
  expect(await versionsUnder(stack, prefix)).toEqual([])
}

describe('if-no-files-found: a path line that matches no file', () => {
  it('fails the step by default, naming the line, before any AWS call', async () => {
    const workspace = makeWorkspace({ 'dist/function.zip': lambdaZip('PK lambda') })
    const run = await sign(
      stack,
      { path: 'dist/function.zip\nbuild/other.zip', 'source-prefix': 'unmatched-error/' },
      { workspace }
    )
    expect(run.exitCode).toBe(1)
    expect(errorLines(run)).toEqual([
      `::error::Input 'path': 'build/other.zip' matched no file in the workspace ${workspace}: nothing ` +
        'was signed. Check the build step that should write it, or set if-no-files-found: warn (or ignore) ' +
        'to sign what the other lines match'
    ])
    await expectNoAwsCall('unmatched-error/')
    expect(run.outputs.jobs).toBeUndefined()
  })

  it('under warn, warns for the line and signs what the other lines match', async () => {
    const workspace = makeWorkspace({ 'dist/function.zip': lambdaZip('PK lambda') })
    const run = await sign(
      stack,
      {
        path: 'dist/function.zip\nbuild/*.zip',
        'if-no-files-found': 'warn',
        'source-prefix': 'unmatched-warn/'
      },
      { workspace }
    )
    expect(errorLines(run)).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(warnings(run.stdout)).toEqual([
      `::warning::path: 'build/*.zip' matched no file in the workspace ${workspace}: not signed`
    ])
    expect(jobsOutput(run).map(job => [job.path, job.status])).toEqual([['dist/function.zip', 'Succeeded']])
  })

  it('under ignore, with no line matching, signs nothing, says so in the log and succeeds', async () => {
    const run = await sign(stack, {
      path: 'build/*.zip',
      'if-no-files-found': 'ignore',
      'source-prefix': 'unmatched-ignore/'
    })
    expect(run.exitCode).toBe(0)
    expect(warnings(run.stdout)).toEqual([])
    expect(run.stdout).toContain('No file matched path: nothing to sign')
    expect(run.outputs.jobs).toBe('[]')
    await expectNoAwsCall('unmatched-ignore/')
  })
})

describe('an input of another mode', () => {
  it('dry-run: true in sign mode is refused before any upload or signing job', async () => {
    const workspace = makeWorkspace({ 'dist/function.zip': lambdaZip('PK lambda') })
    const run = await sign(
      stack,
      { path: 'dist/function.zip', 'dry-run': 'true', 'source-prefix': 'other-mode/' },
      { workspace }
    )
    expect(run.exitCode).toBe(1)
    expect(errorLines(run)).toEqual([
      "::error::Input 'dry-run': applies to revoke and permissions modes, and this step runs in sign mode, " +
        'which would ignore it: remove it from this step, or set mode'
    ])
    await expectNoAwsCall('other-mode/')
  })
})

describe('github-token', () => {
  let github: GitHubReleasesFake
  beforeAll(async () => {
    github = await startGitHubReleasesFake()
  })
  afterAll(async () => {
    await github?.stop()
  })

  it("defaults to the job's token: release-upload works without giving it, and the token is masked", async () => {
    github.addRelease('acme/firmware', 'v2.0.0')
    const workspace = makeWorkspace({ 'dist/function.zip': lambdaZip('PK lambda') })
    const run = await sign(
      stack,
      { path: 'dist/function.zip', 'release-upload': 'true' },
      { workspace, env: { GITHUB_API_URL: github.url }, github: { GITHUB_REF: 'refs/tags/v2.0.0' } }
    )
    expect(errorLines(run)).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(
      github
        .assets('acme/firmware', 'v2.0.0')
        .map(asset => asset.name)
        .sort()
    ).toEqual(['function.zip', 'manifest.json'])
    expect(new Set(github.requests.map(request => request.authorization))).toEqual(
      new Set([`token ${JOB_TOKEN}`])
    )
    expect(run.stdout.split('\n').filter(line => line.includes(JOB_TOKEN))).toEqual([
      `::add-mask::${JOB_TOKEN}`
    ])
  })
})

describe('the single-artifact outputs', () => {
  it('are left unset when two files are signed, with a warning that points to jobs', async () => {
    const workspace = makeWorkspace({ 'dist/a.zip': lambdaZip('PK a'), 'dist/b.zip': lambdaZip('PK b') })
    const run = await sign(stack, { path: 'dist/*.zip' }, { workspace })
    expect(run.exitCode).toBe(0)
    expect(jobsOutput(run)).toHaveLength(2)
    expect(run.outputs['job-id']).toBeUndefined()
    expect(run.outputs['signed-path']).toBeUndefined()
    expect(warnings(run.stdout).join('\n')).toMatch(
      /single-artifact outputs \(job-id, signed-path.*left unset: read each artifact from the jobs output/
    )
  })
})
