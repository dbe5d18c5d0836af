/**
 * npm run bench: this action against what users run today, side by side on the local stack, with several
 * repetitions, medians and ratios (the machines are noisy: no absolute time is a claim on its own).
 *
 *   1. detection   how late a finished job is noticed, and status calls, for 1, 5, 12 and 30 s jobs: this
 *                  action, aws signer start-signing-job + aws signer wait successful-signing-job, and the
 *                  SDK's waitUntilSuccessfulSigningJob with its default delays
 *   2. fanout      1, 8, 24 and 50 artifacts with 4 s jobs: wall time, its ratio to one artifact, status calls
 *   3. strategies  the watcher alone: one ListSigningJobs pass a second vs DescribeSigningJob per job
 *   4. large       100 MB and 1 GiB: hash + upload time and peak RSS, vs sha256sum + aws s3 cp
 *   5. coldstart   node dist/index.js to its first AWS request (vs the AWS CLI's), and the bundle's size
 *
 *   npm run bench                                    # everything, 3 repetitions (about 30 minutes)
 *   npm run bench -- --sections fanout,coldstart --reps 2
 *   npm run bench -- --job-lengths 1,5 --fanout 1,24 --large-mb 100 --baseline /tmp/earlier-index.js
 *
 * Writes bench/results.json (or --out) and prints the tables. ACTION_BUNDLE picks another bundle than
 * dist/index.js; --baseline runs an earlier build beside it in detection and fan-out. Not part of npm test
 * nor of CI: it takes minutes and its figures depend on the machine.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {
  BenchContext,
  ColdStartFigures,
  DetectionResults,
  FanOutFigures,
  LargeFigures,
  StrategyFigures,
  coldStartSection,
  detectionSection,
  fanOutSection,
  largeSection,
  strategySection
} from './bench-sections'
import {
  BundleDescription,
  Machine,
  describeBundle,
  machine,
  markdownTable,
  round,
  seconds,
  times
} from './bench-support'
import { BUNDLE } from './run-action'
import { startStack } from './stack'

const SECTIONS = ['detection', 'fanout', 'strategies', 'large', 'coldstart'] as const
type Section = (typeof SECTIONS)[number]

interface Options {
  sections: Section[]
  reps: number
  jobLengths: number[]
  fanOut: number[]
  strategyJobs: number[]
  largeMb: number[]
  baseline?: string
  out: string
}

/** The flags that take positive numbers separated by commas, and the option each one sets. */
const LIST_FLAGS = {
  '--job-lengths': 'jobLengths',
  '--fanout': 'fanOut',
  '--strategy-jobs': 'strategyJobs',
  '--large-mb': 'largeMb'
} as const satisfies Record<string, keyof Options>

function parseArgs(argv: string[]): Options {
  const options: Options = {
    sections: [...SECTIONS],
    reps: 3,
    jobLengths: [1, 5, 12, 30],
    fanOut: [1, 8, 24, 50],
    strategyJobs: [1, 8, 24],
    largeMb: [100, 1024],
    out: path.join('bench', 'results.json')
  }
  const numbers = (flag: string, value: string | undefined): number[] => {
    const list = (value ?? '').split(',').map(Number)
    if (list.length === 0 || list.some(n => !Number.isFinite(n) || n <= 0)) {
      throw new Error(`${flag} expects positive numbers separated by commas, got '${value ?? ''}'`)
    }
    return list
  }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = argv[++i]
    if (Object.hasOwn(LIST_FLAGS, flag)) {
      options[LIST_FLAGS[flag as keyof typeof LIST_FLAGS]] = numbers(flag, value)
      continue
    }
    switch (flag) {
      case '--sections': {
        const sections = (value ?? '').split(',')
        const unknown = sections.filter(section => !SECTIONS.includes(section as Section))
        if (unknown.length)
          throw new Error(`--sections: unknown ${unknown.join(', ')}; use ${SECTIONS.join(', ')}`)
        options.sections = sections as Section[]
        break
      }
      case '--reps':
        options.reps = numbers(flag, value)[0]
        break
      case '--baseline':
        if (!value || !fs.existsSync(value))
          throw new Error(`--baseline expects a bundle file, got '${value ?? ''}'`)
        options.baseline = path.resolve(value)
        break
      case '--out':
        if (!value) throw new Error('--out expects a file')
        options.out = value
        break
      default:
        throw new Error(`unknown option ${flag}; see the comment at the top of scripts/bench.ts`)
    }
  }
  return options
}

interface Results {
  date: string
  machine: Machine
  /** Which build ran: its file name and SHA-256, never where it lay on the machine. */
  bundle: BundleDescription
  baseline?: BundleDescription
  reps: number
  detection?: DetectionResults
  fanOut?: FanOutFigures[]
  fanOutBefore?: FanOutFigures[]
  strategies?: StrategyFigures[]
  large?: LargeFigures[]
  coldStart?: ColdStartFigures
  targets: { target: string; met: boolean; measured: string }[]
}

function detectionTable(detection: DetectionResults): string {
  const tools = Object.keys(Object.values(detection)[0]?.tools ?? {})
  const peers = tools.filter(tool => tool !== 'action')
  const header = [
    'job',
    'action: late (worst), calls',
    ...peers.flatMap(peer => [`${peer}: late, calls`, 'ratio'])
  ]
  const rows = Object.values(detection).map(({ jobSeconds, tools: figures }) => {
    const action = figures.action
    return [
      `${jobSeconds} s`,
      `${seconds(action.delaySeconds.median)} (${seconds(Math.max(...action.delaySeconds.runs))}), ${action.statusCalls.median}`,
      ...peers.flatMap(peer => [
        `${seconds(figures[peer].delaySeconds.median)}, ${figures[peer].statusCalls.median}`,
        times(figures[peer].delaySeconds.median / Math.max(action.delaySeconds.median, 0.001))
      ])
    ]
  })
  return markdownTable(header, rows)
}

function fanOutTable(fanOut: FanOutFigures[], before?: FanOutFigures[]): string {
  const header = ['artifacts', 'wall', 'ratio to one', 'status calls (bound)']
  if (before) header.push('before: wall', 'before: ratio to one', 'before: status calls')
  const rows = fanOut.map(result => {
    const earlier = before?.find(one => one.artifacts === result.artifacts)
    return [
      String(result.artifacts),
      seconds(result.wallSeconds.median),
      times(result.ratioToOne ?? NaN),
      `${result.statusCalls.median} (${result.callBound.median})`,
      ...(earlier
        ? [
            seconds(earlier.wallSeconds.median),
            times(earlier.ratioToOne ?? NaN),
            String(earlier.statusCalls.median)
          ]
        : before
          ? ['', '', '']
          : [])
    ]
  })
  return markdownTable(header, rows)
}

function strategyTable(strategies: StrategyFigures[]): string {
  const counts = [...new Set(strategies.map(one => one.jobs))]
  const cell = (jobs: number, strategy: string): string => {
    const found = strategies.find(one => one.jobs === jobs && one.strategy === strategy)
    return found
      ? `${seconds(found.delaySeconds.median)} (worst ${seconds(found.worstDelaySeconds.median)}), ${found.statusCalls.median}`
      : ''
  }
  return markdownTable(
    ['jobs (4 s)', 'ListSigningJobs pass: late, calls', 'DescribeSigningJob per job (2 a pass): late, calls'],
    counts.map(jobs => [String(jobs), cell(jobs, 'list'), cell(jobs, 'describe')])
  )
}

function largeTable(large: LargeFigures[]): string {
  return markdownTable(
    [
      'size',
      'action: hash + upload',
      'action peak RSS',
      'sha256sum + aws s3 cp',
      'their peak RSS',
      'ratio (theirs / ours)'
    ],
    large.map(one => [
      one.sizeMb >= 1024 ? `${one.sizeMb / 1024} GiB` : `${one.sizeMb} MB`,
      `${seconds(one.actionSeconds.median)} (${one.actionMbPerSecond} MB/s)`,
      `${one.actionPeakRssMb.median} MB`,
      `${seconds(one.peerSeconds.median)} (${one.peerMbPerSecond} MB/s)`,
      `${one.peerPeakRssMb.median} MB`,
      times(one.speedup)
    ])
  )
}

function coldStartTable(cold: ColdStartFigures): string {
  return markdownTable(
    ['action to its first request', 'AWS CLI to its first request', 'ratio (CLI / action)', 'bundle (gzip)'],
    [
      [
        seconds(cold.actionSeconds.median),
        seconds(cold.cliSeconds.median),
        times(cold.cliSeconds.median / cold.actionSeconds.median),
        `${(cold.bundleBytes / 1e6).toFixed(2)} MB (${(cold.bundleGzipBytes / 1e6).toFixed(2)} MB)`
      ]
    ]
  )
}

function targets(results: Results): Results['targets'] {
  const found: Results['targets'] = []
  if (results.detection) {
    const action = Object.values(results.detection).map(one => one.tools.action.delaySeconds)
    const medians = action.map(one => one.median)
    const worst = Math.max(...action.flatMap(one => one.runs))
    found.push({
      target: 'a finished job is noticed within 1.0 s (median of each job length)',
      met: medians.every(value => value <= 1.0),
      measured: medians.map(value => seconds(value)).join(', ')
    })
    found.push({ target: 'and within 1.3 s at worst', met: worst <= 1.3, measured: seconds(worst) })
  }
  if (results.fanOut) {
    const of24 = results.fanOut.find(one => one.artifacts === 24)
    if (of24?.ratioToOne !== undefined) {
      found.push({
        target: '24 artifacts with 4 s jobs within 2x the time of one',
        met: of24.ratioToOne <= 2,
        measured: times(of24.ratioToOne)
      })
    }
    const over = results.fanOut.flatMap(one =>
      one.statusCalls.runs.map((calls, i) => calls - one.callBound.runs[i]).filter(excess => excess > 0)
    )
    found.push({
      target: 'status calls within 2 per artifact + 2 per second of waiting (every run)',
      met: over.length === 0,
      measured: results.fanOut
        .map(one => `${one.artifacts}: ${one.statusCalls.median}/${one.callBound.median}`)
        .join(', ')
    })
  }
  if (results.large) {
    const peak = Math.max(...results.large.flatMap(one => one.actionPeakRssMb.runs))
    found.push({
      target: 'peak RSS under 200 MB, flat as size grows',
      met: peak < 200,
      measured: `${peak} MB`
    })
  }
  return found
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2))
  if (!fs.existsSync(BUNDLE))
    throw new Error(`no bundle at ${BUNDLE}: run npm run build, or set ACTION_BUNDLE`)
  if (!fs.existsSync('/proc/self/status')) throw new Error('the benchmark reads /proc: it needs Linux')
  const results: Results = {
    date: new Date().toISOString(),
    machine: machine(),
    bundle: describeBundle(BUNDLE),
    baseline: options.baseline ? describeBundle(options.baseline) : undefined,
    reps: options.reps,
    targets: []
  }
  const log = (line: string): void => console.log(line)
  console.log(
    `Benchmark: ${options.sections.join(', ')}; ${options.reps} repetitions; ${results.machine.cpus} × ` +
      `${results.machine.cpuModel}, load ${results.machine.loadAtStart.join(' ')}`
  )
  const stack = await startStack({ jobDurationMs: 200 })
  const context: BenchContext = { stack, reps: options.reps, bundle: BUNDLE, baseline: options.baseline, log }
  // Written after every section: a long run that fails late keeps what it measured.
  const save = (): void => {
    results.machine.loadAtEnd = os.loadavg().map(load => round(load, 2))
    results.targets = targets(results)
    fs.mkdirSync(path.dirname(options.out), { recursive: true })
    fs.writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`)
  }
  try {
    for (const section of options.sections) {
      console.log(`\n${section}`)
      if (section === 'detection') results.detection = await detectionSection(context, options.jobLengths)
      if (section === 'fanout') {
        results.fanOut = await fanOutSection(context, options.fanOut, BUNDLE)
        if (options.baseline) {
          console.log('  (the earlier build)')
          results.fanOutBefore = await fanOutSection(context, options.fanOut, options.baseline)
        }
      }
      if (section === 'strategies') results.strategies = await strategySection(context, options.strategyJobs)
      if (section === 'large') results.large = await largeSection(context, options.largeMb)
      if (section === 'coldstart') results.coldStart = await coldStartSection(context)
      save()
    }
  } finally {
    await stack.stop()
  }
  save()

  const m = results.machine
  console.log(
    `\n${results.date.slice(0, 16).replace('T', ' ')} UTC, ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, ` +
      `Node ${m.node}, load ${m.loadAtStart.join(' ')} → ${(m.loadAtEnd ?? []).join(' ')}; medians of ${options.reps}`
  )
  if (results.detection)
    console.log(`\nDetection delay (late = after the job finished)\n${detectionTable(results.detection)}`)
  if (results.fanOut)
    console.log(
      `\nFan-out, 4 s jobs, max-concurrency 4\n${fanOutTable(results.fanOut, results.fanOutBefore)}`
    )
  if (results.strategies) console.log(`\nWatch strategies\n${strategyTable(results.strategies)}`)
  if (results.large) console.log(`\nLarge files\n${largeTable(results.large)}`)
  if (results.coldStart) console.log(`\nCold start\n${coldStartTable(results.coldStart)}`)
  console.log('\nTargets')
  for (const target of results.targets)
    console.log(`  ${target.met ? 'met' : 'NOT met'}: ${target.target} (${target.measured})`)
  console.log(`\nWrote ${options.out}`)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  process.exit(1)
})
