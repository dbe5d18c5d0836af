/** Measuring helpers for scripts/bench.ts: statistics, process memory, files, machine, tables. */
import { createHash } from 'node:crypto'
import { ChildProcess, spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

/** One figure: every repetition, and their median. */
export interface Figure {
  runs: number[]
  median: number
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

export function figure(runs: number[]): Figure {
  return { runs: runs.map(round), median: round(median(runs)) }
}

export const round = (value: number, digits = 3): number => Number(value.toFixed(digits))

/** The high-water mark of a process's resident set (VmHWM), in MB; undefined once it has exited. */
function peakRssMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(status)
    return hwm ? Number(hwm[1]) / 1024 : undefined
  } catch {
    return undefined
  }
}

/** Follows a process's VmHWM every 20 ms until `stop`: the last reading before it exits is its peak. */
export function followPeakRss(child: ChildProcess): () => number {
  let peak = 0
  const read = (): void => {
    if (child.pid !== undefined) peak = Math.max(peak, peakRssMb(child.pid) ?? 0)
  }
  const timer = setInterval(read, 20)
  return () => {
    clearInterval(timer)
    return round(peak, 1)
  }
}

export interface CommandRun {
  exitCode: number
  stdout: string
  stderr: string
  seconds: number
  peakRssMb: number
  /** Epoch ms when the process was spawned. */
  spawnedAt: number
}

/** Runs a command (no shell) to its end, timing it and following its memory. */
export function runCommand(
  command: string,
  args: string[],
  env: Record<string, string>
): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const spawnedAt = Date.now()
    const started = process.hrtime.bigint()
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    const stopRss = followPeakRss(child)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', code =>
      resolve({
        exitCode: code ?? -1,
        stdout,
        stderr,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        peakRssMb: stopRss(),
        spawnedAt
      })
    )
  })
}

/** Writes `size` bytes in 1 MiB chunks, distinct per seed, without holding them. */
export function writeFile(file: string, size: number, seed: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const fd = fs.openSync(file, 'w')
  const chunk = Buffer.alloc(Math.min(Math.max(size, 1), 1024 * 1024), 7)
  chunk.write(`seed ${seed} ${Date.now()} `)
  for (let written = 0; written < size; written += chunk.length) {
    fs.writeSync(fd, chunk, 0, Math.min(chunk.length, size - written))
  }
  fs.closeSync(fd)
}

export interface Machine {
  cpuModel: string
  cpus: number
  memoryGb: number
  platform: string
  node: string
  /** 1, 5 and 15 minute load averages when the benchmark started and ended. */
  loadAtStart: number[]
  loadAtEnd?: number[]
}

export function machine(): Machine {
  return {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.cpus().length,
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAtStart: os.loadavg().map(load => round(load, 2))
  }
}

export interface BundleDescription {
  /** The bundle's file name (dist/index.js when it is this checkout's). */
  file: string
  sha256: string
  bytes: number
}

/** A bundle named by its content, so results.json says which build ran without a path of the machine. */
export function describeBundle(file: string): BundleDescription {
  const content = fs.readFileSync(file)
  const inRepo = path.relative(path.resolve(__dirname, '..'), file)
  return {
    file:
      inRepo.startsWith('..') || path.isAbsolute(inRepo)
        ? path.basename(file)
        : inRepo.split(path.sep).join('/'),
    sha256: createHash('sha256').update(content).digest('hex'),
    bytes: content.length
  }
}

/** A Markdown table (it reads as aligned text in a terminal too). */
export function markdownTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows]
  const widths = header.map((_, i) => Math.max(3, ...all.map(row => row[i].length)))
  const line = (row: string[]): string => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`
  return [line(header), `| ${widths.map(width => '-'.repeat(width)).join(' | ')} |`, ...rows.map(line)].join(
    '\n'
  )
}

export const seconds = (value: number): string => `${value.toFixed(2)} s`
export const times = (value: number): string => `${value.toFixed(1)}x`
