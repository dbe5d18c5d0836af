import { ChildProcess, execFileSync, spawn } from 'node:child_process'
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
