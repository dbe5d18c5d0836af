import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'

/**
 * The Python tools the local stack and the tests need: moto's S3 server, and the AWS CLI (a Signer client we
 * did not write). A machine that lacks them gets them in a project-local virtualenv, installed once, so
 * `npm ci && npm test` works with nothing but Node and Python.
 */

export const ROOT = path.resolve(__dirname, '..')
export const VENV_DIR = path.join(ROOT, '.venv-moto')

/** The versions the tests run with; pinned so every fresh checkout gets the same servers. */
export const PINNED_PACKAGES = ['moto[server]==5.2.1', 'awscli==1.45.11']

const pipCommand = `pip install ${PINNED_PACKAGES.map(p => `'${p}'`).join(' ')}`

/** The interpreter to try first: $PYTHON, or python3. */
export function basePython(env: NodeJS.ProcessEnv = process.env): string {
  return env.PYTHON || 'python3'
}

export function venvBin(venvDir: string, name: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? path.join(venvDir, 'Scripts', `${name}.exe`) : path.join(venvDir, 'bin', name)
}

/** What was found on this machine; gathered by probe(), decided on by planTools(). */
export interface ToolProbe {
  /** The base interpreter, when it runs at all. */
  python?: string
  pythonHasMoto: boolean
  /** `aws` on PATH, when it runs. */
  awsOnPath?: string
  /** The virtualenv's interpreter and CLI, when they work. */
  venvPythonWithMoto?: string
  venvAws?: string
}

export type ToolPlan =
  | { kind: 'use'; python: string; aws: string }
  | { kind: 'install'; python: string; reason: string }
  | { kind: 'fail'; message: string }

/**
 * Which tools to use: those already on the machine, else those in the virtualenv, else install them into it;
 * with no Python at all, a message that says what to install. Pure: a unit test covers every branch.
 */
export function planTools(probe: ToolProbe): ToolPlan {
  const python = probe.pythonHasMoto ? probe.python : probe.venvPythonWithMoto
  const aws = probe.awsOnPath ?? probe.venvAws
  if (python && aws) return { kind: 'use', python, aws }
  if (!probe.python) {
    return {
      kind: 'fail',
      message:
        'The local stack needs Python 3 (3.9 or later) to run moto\'s S3 server, and no usable "python3" (3.9+) runs here ' +
        '(set PYTHON to another interpreter). Install Python 3 with its venv module (Debian/Ubuntu: ' +
        `sudo apt-get install python3 python3-venv), or install the tools yourself: ${pipCommand}`
    }
  }
  const missing = [
    python ? undefined : `${probe.python} cannot import moto.server`,
    aws ? undefined : 'the AWS CLI (aws) is not on PATH'
  ].filter(Boolean)
  return { kind: 'install', python: probe.python, reason: missing.join(', and ') }
}

/** The message when the virtualenv could not be made: what failed, and exactly what to install instead. */
export function installFailure(step: string, output: string, venvDir: string = VENV_DIR): string {
  const tail = output.trim().split('\n').slice(-5).join('\n')
  const venvHint = /ensurepip|venv/i.test(output)
    ? ' The venv module is missing: on Debian/Ubuntu, sudo apt-get install python3-venv.'
    : ''
  return (
    `Could not set up ${path.relative(ROOT, venvDir) || venvDir} (${step} failed):\n${tail}\n` +
    `Install the tools for your python3 instead: ${pipCommand}${venvHint}`
  )
}

/**
 * Whether an interpreter is Python 3.9+ with moto's server (moto and its [server] extras, flask and
 * flask_cors). find_spec looks the modules up without importing them: a second instead of three.
 */
const MOTO_CHECK = [
  'import importlib.util as u, sys',
  'if sys.version_info < (3, 9): sys.exit(2)',
  "sys.exit(0 if all(u.find_spec(m) for m in ('moto', 'flask', 'flask_cors')) else 1)"
].join('\n')

function pythonStatus(python: string): 'moto' | 'no-moto' | 'unusable' {
  const result = spawnSync(python, ['-c', MOTO_CHECK], { stdio: 'ignore', timeout: 60000 })
  if (result.status === 0) return 'moto'
  return result.status === 1 ? 'no-moto' : 'unusable'
}

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK)
    return true
  } catch {
    return false
  }
}

function onPath(name: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map(dir => path.join(dir, name))
    .find(executable)
}

/** The machine's tools first; the virtualenv is looked at only when they are not enough. */
export function probe(venvDir: string = VENV_DIR, env: NodeJS.ProcessEnv = process.env): ToolProbe {
  const python = basePython(env)
  const status = pythonStatus(python)
  const found: ToolProbe = {
    python: status === 'unusable' ? undefined : python,
    pythonHasMoto: status === 'moto',
    awsOnPath: onPath('aws')
  }
  if (found.pythonHasMoto && found.awsOnPath) return found
  const venvPython = venvBin(venvDir, 'python')
  const venvAws = venvBin(venvDir, 'aws')
  if (executable(venvPython) && pythonStatus(venvPython) === 'moto') found.venvPythonWithMoto = venvPython
  if (executable(venvAws)) found.venvAws = venvAws
  return found
}

function run(command: string, args: string[], step: string, venvDir: string): void {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 15 * 60000 })
  if (result.status !== 0) {
    fs.rmSync(venvDir, { recursive: true, force: true })
    throw new Error(
      installFailure(
        step,
        `${result.stdout ?? ''}\n${result.stderr ?? ''}\n${result.error?.message ?? ''}`,
        venvDir
      )
    )
  }
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** One installer at a time (jest runs test files in parallel workers): a directory made atomically. */
async function withLock<T>(lockDir: string, action: () => T): Promise<T> {
  for (;;) {
    try {
      fs.mkdirSync(lockDir)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      // An installer killed mid-way leaves its lock: pip takes a minute or two, so 20 minutes is abandoned.
      const lock = fs.statSync(lockDir, { throwIfNoEntry: false })
      if (lock && Date.now() - lock.mtimeMs > 20 * 60000) fs.rmSync(lockDir, { recursive: true, force: true })
      await sleep(500)
    }
  }
  try {
    return action()
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true })
  }
}

export interface PythonTools {
  /** Runs scripts/moto_server.py. */
  python: string
  /** The AWS CLI. */
  aws: string
}

let resolved: Promise<PythonTools> | undefined

/** The tools to run, installing them into the project's virtualenv first when the machine lacks them. */
export function pythonTools(
  log: (line: string) => void = line => process.stderr.write(`${line}\n`)
): Promise<PythonTools> {
  resolved ??= resolveTools(log)
  return resolved
}

async function resolveTools(log: (line: string) => void, venvDir: string = VENV_DIR): Promise<PythonTools> {
  const plan = planTools(probe(venvDir))
  if (plan.kind === 'use') return plan
  if (plan.kind === 'fail') throw new Error(plan.message)
  return withLock(`${venvDir}.lock`, () => {
    // Another process may have installed them while this one waited for the lock.
    const again = planTools(probe(venvDir))
    if (again.kind === 'use') return again
    const where = path.relative(ROOT, venvDir)
    log(
      `${plan.reason}: installing ${PINNED_PACKAGES.join(' ')} into ${where} (once; delete ${where} to redo it)`
    )
    if (!fs.existsSync(venvBin(venvDir, 'python')))
      run(plan.python, ['-m', 'venv', venvDir], `${plan.python} -m venv`, venvDir)
    const venvPython = venvBin(venvDir, 'python')
    run(venvPython, ['-m', 'pip', 'install', '--quiet', ...PINNED_PACKAGES], 'pip install', venvDir)
    const installed = planTools(probe(venvDir))
    if (installed.kind !== 'use') {
      throw new Error(
        installFailure('checking the installed tools', 'moto.server or aws still does not run', venvDir)
      )
    }
    log(`Using ${where}: ${installed.python}`)
    return installed
  })
}

if (require.main === module) {
  // .ci/run: make sure the tools are there (installing them if needed) and say which are used.
  pythonTools()
    .then(tools => console.log(`moto: ${tools.python}\naws: ${tools.aws}`))
    .catch((error: Error) => {
      console.error(error.message)
      process.exit(1)
    })
}
