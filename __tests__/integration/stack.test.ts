import { ChildProcess, execFileSync, spawn } from 'node:child_process'
import * as net from 'node:net'
import * as path from 'node:path'

const ROOT = path.resolve(__dirname, '..', '..')

/** Starts `npm run stack` (scripts/stack-cli.ts) and resolves with moto's port once it has printed it. */
function startStackCli(): Promise<{ child: ChildProcess; s3Port: number }> {
  // node itself, with tsx as a loader: the tsx command would put a process of its own in between.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/stack-cli.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  return new Promise((resolve, reject) => {
    let printed = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      printed += chunk.toString()
      const port = /S3 \(moto\): +http:\/\/127\.0\.0\.1:(\d+)/.exec(printed)
      if (port) resolve({ child, s3Port: Number(port[1]) })
    })
    child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()))
    child.on('exit', code => reject(new Error(`the stack exited (${code}) before it was ready:\n${printed}`)))
  })
}

function motoPids(port: number): number[] {
  try {
    const out = execFileSync('pgrep', ['-f', `moto_server.py -H 127.0.0.1 -p ${port}$`], { encoding: 'utf8' })
    return out.trim().split('\n').filter(Boolean).map(Number)
  } catch {
    return [] // pgrep exits 1 when nothing matches
  }
}

async function gone(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (motoPids(port).length === 0) return true
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return false
}

describe('the local stack leaves no orphan server', () => {
  it.each([
    ['stopped with Ctrl-C (SIGINT)', 'SIGINT'],
    ['killed outright (SIGKILL), with no chance to clean up', 'SIGKILL']
  ] as const)('moto exits when the stack is %s', async (_, signal) => {
    const { child, s3Port } = await startStackCli()
    expect(motoPids(s3Port)).toHaveLength(1)
    child.kill(signal)
    const stopped = await gone(s3Port, 10000)
    child.kill('SIGKILL') // whatever happened, this test leaves nothing behind
    expect(stopped).toBe(true)
  })
})

/** The processes whose parent is `pid` (pgrep exits 1 when there is none). */
function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number)
  } catch {
    return []
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** True when nothing listens on 127.0.0.1:port any more: this process can bind it. */
function portFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return false
}

describe('npm run stack stopped with SIGTERM, as kill sends it', () => {
  it('leaves no process behind and frees both ports', async () => {
    const npm = spawn('npm', ['run', '--silent', 'stack'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let printed = ''
    npm.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()))
    npm.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()))
    let tree: number[] = []
    try {
      expect(await until(() => /Ctrl-C/.test(printed), 60000)).toBe(true)
      const ports = [
        /S3 \(moto\): +http:\/\/127\.0\.0\.1:(\d+)/,
        /Signer emulator: +http:\/\/127\.0\.0\.1:(\d+)/
      ].map(line => Number(line.exec(printed)?.[1]))
      // Every process under npm: the stack's node, and moto under it.
      tree = childPids(npm.pid as number).flatMap(pid => [pid, ...childPids(pid)])
      expect(tree.length).toBeGreaterThanOrEqual(2)
      expect(await Promise.all(ports.map(portFree))).toEqual([false, false])

      npm.kill('SIGTERM')
      const stopped = await until(async () => {
        const free = await Promise.all(ports.map(portFree))
        return free.every(Boolean) && !tree.some(alive)
      }, 15000)
      expect({ stopped, alive: tree.filter(alive) }).toEqual({ stopped: true, alive: [] })
    } finally {
      // Whatever happened, this test leaves nothing behind.
      for (const pid of [npm.pid as number, ...tree].filter(alive)) process.kill(pid, 'SIGKILL')
    }
  })
})
