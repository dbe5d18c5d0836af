/**
 * npm run bench: the action's wall time and peak memory (the action process's VmHWM, read from /proc while it
 * runs) against the local stack, for one large artifact and for many small ones. Hashing, upload and download
 * all stream, so the peak should stay near the baseline whatever the artifact's size.
 *
 *   npm run bench                  # defaults: 200 MB, 50 × 64 KiB
 *   BENCH_LARGE_MB=100 BENCH_SMALL_COUNT=20 npm run bench
 *
 * ACTION_BUNDLE picks another bundle than dist/index.js. Not part of npm test.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { ActionRun, BUNDLE, makeWorkspace, runAction } from './run-action'
import { LocalStack, startStack } from './stack'

const LARGE_MB = Number(process.env.BENCH_LARGE_MB ?? 200)
const SMALL_COUNT = Number(process.env.BENCH_SMALL_COUNT ?? 50)
const SMALL_KB = 64

interface Scenario {
  name: string
  files: Record<string, number>
  inputs?: Record<string, string>
}

interface Measurement {
  scenario: Scenario
  run: ActionRun
  wallSeconds: number
  peakRssMb: number
}

/** Child processes of this process (every thread's), from /proc. */
function childPids(): number[] {
  const pids: number[] = []
  for (const task of fs.readdirSync('/proc/self/task')) {
    try {
      const text = fs.readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim()
      if (text) pids.push(...text.split(/\s+/).map(Number))
    } catch {
      // The thread ended while we looked.
    }
  }
  return pids
}

/** The high-water mark of the resident set of the action's process (the one running the bundle), in kB. */
function actionPeakKb(): number | undefined {
  for (const pid of childPids()) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      if (!cmdline.includes(BUNDLE)) continue
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
      const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status)
      if (hwm) return Number(hwm[1])
    } catch {
      // The process exited between the listing and the read.
    }
  }
  return undefined
}

/** Writes `size` bytes in 1 MiB chunks (distinct per file, so each hashes differently) without holding them. */
function writeFile(file: string, size: number, seed: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const fd = fs.openSync(file, 'w')
  const chunk = Buffer.alloc(Math.min(size, 1024 * 1024), (seed * 31 + 7) % 251)
  chunk.write(`seed ${seed} ${Date.now()}`)
  for (let written = 0; written < size; written += chunk.length) {
    fs.writeSync(fd, chunk, 0, Math.min(chunk.length, size - written))
  }
  fs.closeSync(fd)
}

async function measure(stack: LocalStack, scenario: Scenario): Promise<Measurement> {
  const workspace = makeWorkspace()
  let seed = 0
  for (const [name, size] of Object.entries(scenario.files))
    writeFile(path.join(workspace, name), size, seed++)
  let peakKb = 0
  const poll = setInterval(() => (peakKb = Math.max(peakKb, actionPeakKb() ?? 0)), 20)
  const started = process.hrtime.bigint()
  try {
    const run = await runAction({
      workspace,
      env: stack.env,
      inputs: {
        path: 'artifacts/**',
        'profile-name': stack.profileName,
        'source-bucket': stack.bucket,
        'timeout-seconds': '300',
        ...scenario.inputs
      }
    })
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9
    if (run.exitCode !== 0) {
      throw new Error(
        `${scenario.name}: the action failed (exit ${run.exitCode})\n${run.stdout}\n${run.stderr}`
      )
    }
    const jobs = JSON.parse(run.outputs.jobs) as { status: string; signedPath: string | null }[]
    const downloaded = jobs.filter(
      job => job.status === 'Succeeded' && job.signedPath && fs.existsSync(job.signedPath)
    )
    if (downloaded.length !== Object.keys(scenario.files).length) {
      throw new Error(
        `${scenario.name}: ${downloaded.length} of ${jobs.length} artifacts signed and downloaded`
      )
    }
    return { scenario, run, wallSeconds, peakRssMb: peakKb / 1024 }
  } finally {
    clearInterval(poll)
    fs.rmSync(workspace, { recursive: true, force: true })
  }
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map(row => row[i].length)))
  const line = (row: string[]): string => row.map((cell, i) => cell.padEnd(widths[i])).join('  ')
  return [line(rows[0]), widths.map(w => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')
}

async function main(): Promise<void> {
  if (!fs.existsSync(BUNDLE))
    throw new Error(`no bundle at ${BUNDLE}: run npm run build, or set ACTION_BUNDLE`)
  if (!fs.existsSync('/proc/self/status')) throw new Error('the benchmark reads /proc: it needs Linux')
  const small: Record<string, number> = {}
  for (let i = 0; i < SMALL_COUNT; i++)
    small[`artifacts/small/part-${String(i).padStart(3, '0')}.zip`] = SMALL_KB * 1024
  const scenarios: Scenario[] = [
    { name: 'baseline: one 64 KiB artifact', files: { 'artifacts/one.zip': 64 * 1024 } },
    { name: `one ${LARGE_MB} MB artifact`, files: { 'artifacts/large.zip': LARGE_MB * 1024 * 1024 } },
    { name: `${SMALL_COUNT} × ${SMALL_KB} KiB, max-concurrency 4`, files: small },
    {
      name: `${SMALL_COUNT} × ${SMALL_KB} KiB, max-concurrency 16`,
      files: small,
      inputs: { 'max-concurrency': '16', 'source-prefix': 'wide/' }
    }
  ]

  console.log(`Starting the local stack (job duration 200 ms); bundle ${BUNDLE}`)
  const stack = await startStack({ jobDurationMs: 200 })
  const rows = [['scenario', 'files', 'total', 'wall', 'peak RSS (action)']]
  try {
    for (const scenario of scenarios) {
      process.stdout.write(`  ${scenario.name}... `)
      const result = await measure(stack, scenario)
      const totalMb = Object.values(scenario.files).reduce((sum, size) => sum + size, 0) / 1024 / 1024
      console.log(`${result.wallSeconds.toFixed(1)} s, ${result.peakRssMb.toFixed(0)} MB`)
      rows.push([
        scenario.name,
        String(Object.keys(scenario.files).length),
        `${totalMb.toFixed(1)} MB`,
        `${result.wallSeconds.toFixed(1)} s`,
        `${result.peakRssMb.toFixed(0)} MB`
      ])
    }
  } finally {
    await stack.stop()
  }
  console.log(`\n${table(rows)}`)
  console.log(
    "\nWall time includes Node start-up, preflight, upload, the emulated job (200 ms) and the waiter's " +
      "first 1 s poll delay, and the download. Peak RSS is the action process's VmHWM."
  )
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
