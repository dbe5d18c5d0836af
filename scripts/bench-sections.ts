/**
 * The sections of npm run bench. Each runs this action and what users run today side by side against the
 * local stack, and returns its figures (every repetition, and the median).
 */
import { randomUUID } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as zlib from 'node:zlib'
import { DeleteObjectCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3'
import {
  DescribeSigningJobCommand,
  PutSigningProfileCommand,
  StartSigningJobCommand,
  waitUntilSuccessfulSigningJob
} from '@aws-sdk/client-signer'
import { CallRecord } from '../emulator/call-log'
import { lambdaZip, putSource } from '../emulator/testing'
import { describeSigningJob } from '../src/sign/job'
import { JobWatcher, WatchStrategy } from '../src/sign/watch'
import { signFiles } from './bench-scale'
import { Figure, figure, followPeakRss, median, round, runCommand, writeFile } from './bench-support'
import { makeWorkspace, runAction } from './run-action'
import { LocalStack } from './stack'

export interface BenchContext {
  stack: LocalStack
  reps: number
  bundle: string
  /** An earlier build, run beside `bundle` where it says something (detection, fan-out). */
  baseline?: string
  log: (line: string) => void
}

const STATUS_CALLS = ['DescribeSigningJob', 'ListSigningJobs']

function cliEnv(stack: LocalStack): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', AWS_PAGER: '', ...stack.env }
}

function cliTarget(stack: LocalStack): string[] {
  return ['--endpoint-url', stack.signerEndpoint, '--region', stack.region]
}

/** How late a tool learned that a job finished, and how many status calls it made for it. */
interface Detection {
  delaySeconds: number
  statusCalls: number
}

/**
 * From the emulator's call log: the job finished at its completedAt; the tool knew when the first
 * DescribeSigningJob of that job that arrived after it had been answered. Both on the emulator's clock.
 */
async function detection(
  stack: LocalStack,
  calls: CallRecord[],
  jobId: string,
  lists = 0
): Promise<Detection> {
  const described = await stack.signer.send(new DescribeSigningJobCommand({ jobId }))
  const completedAt = described.completedAt?.getTime()
  if (described.status !== 'Succeeded' || completedAt === undefined) {
    throw new Error(`job ${jobId} is ${described.status}, not Succeeded`)
  }
  const reads = calls.filter(call => call.operation === 'DescribeSigningJob' && call.input.jobId === jobId)
  const noticing = reads.find(call => call.status === 200 && Date.parse(call.time) >= completedAt)
  if (!noticing) throw new Error(`no DescribeSigningJob of ${jobId} after it finished`)
  return {
    delaySeconds: (Date.parse(noticing.time) + noticing.durationMs - completedAt) / 1000,
    statusCalls: reads.length + lists
  }
}

async function actionJob(
  context: BenchContext,
  bundle: string,
  tag: string,
  inputs: Record<string, string> = {}
): Promise<string> {
  const { stack } = context
  const run = await runAction({
    bundle,
    workspace: makeWorkspace({ 'app.zip': lambdaZip(`detection ${tag} ${bundle} ${randomUUID()}`) }),
    env: stack.env,
    inputs: {
      path: 'app.zip',
      'profile-name': stack.profileName,
      'source-bucket': stack.bucket,
      'source-prefix': `bench/detection/${tag}/`,
      'timeout-seconds': '300',
      ...inputs
    }
  })
  if (run.exitCode !== 0)
    throw new Error(`the action failed (exit ${run.exitCode})\n${run.stdout}\n${run.stderr}`)
  return run.outputs['job-id']
}

/** aws signer start-signing-job, then aws signer wait successful-signing-job: the CLI's own waiter. */
async function cliJob(context: BenchContext, tag: string): Promise<string> {
  const { stack } = context
  const key = `bench/cli/${tag}/app.zip`
  const version = await putSource(stack.s3, stack.bucket, key, lambdaZip(`cli ${tag} ${randomUUID()}`))
  const started = await runCommand(
    'aws',
    [
      'signer',
      'start-signing-job',
      '--source',
      JSON.stringify({ s3: { bucketName: stack.bucket, key, version } }),
      '--destination',
      JSON.stringify({ s3: { bucketName: stack.bucket, prefix: `bench/cli-signed/${tag}/` } }),
      '--profile-name',
      stack.profileName,
      '--output',
      'json',
      ...cliTarget(stack)
    ],
    cliEnv(stack)
  )
  if (started.exitCode !== 0) throw new Error(`aws signer start-signing-job failed: ${started.stderr}`)
  const jobId = (JSON.parse(started.stdout) as { jobId: string }).jobId
  const waited = await runCommand(
    'aws',
    ['signer', 'wait', 'successful-signing-job', '--job-id', jobId, ...cliTarget(stack)],
    cliEnv(stack)
  )
  if (waited.exitCode !== 0) throw new Error(`aws signer wait failed: ${waited.stderr}`)
  return jobId
}

/** StartSigningJob, then the SDK's waitUntilSuccessfulSigningJob with its default delays (20 s to 120 s). */
async function sdkWaiterJob(context: BenchContext, tag: string): Promise<string> {
  const { stack } = context
  const key = `bench/sdk/${tag}/app.zip`
  const version = await putSource(stack.s3, stack.bucket, key, lambdaZip(`sdk ${tag} ${randomUUID()}`))
  const started = await stack.signer.send(
    new StartSigningJobCommand({
      source: { s3: { bucketName: stack.bucket, key, version } },
      destination: { s3: { bucketName: stack.bucket, prefix: `bench/sdk-signed/${tag}/` } },
      profileName: stack.profileName,
      clientRequestToken: randomUUID()
    })
  )
  const jobId = started.jobId as string
  await waitUntilSuccessfulSigningJob({ client: stack.signer, maxWaitTime: 900 }, { jobId })
  return jobId
}

export interface ToolFigures {
  delaySeconds: Figure
  statusCalls: Figure
}

export type DetectionResults = Record<string, { jobSeconds: number; tools: Record<string, ToolFigures> }>

/** 1. How late each tool notices a finished job, and its status calls, for jobs of each length. */
export async function detectionSection(
  context: BenchContext,
  jobLengths: number[]
): Promise<DetectionResults> {
  const { stack, reps, log } = context
  const results: DetectionResults = {}
  for (const jobSeconds of jobLengths) {
    const runs: Record<string, Detection[]> = {}
    for (let rep = 0; rep < reps; rep++) {
      await stack.emulator.admin.configure({ jobDurationMs: jobSeconds * 1000 })
      await stack.emulator.admin.clearCalls()
      const tag = `${jobSeconds}s-${rep}-${Date.now()}`
      // The tools run side by side on jobs of the same length; each job's calls are told apart by its id.
      const tools: Record<string, Promise<string>> = {
        action: actionJob(context, context.bundle, tag),
        'AWS CLI wait': cliJob(context, tag),
        'SDK waiter (defaults)': sdkWaiterJob(context, tag)
      }
      if (context.baseline) tools['action before'] = actionJob(context, context.baseline, `${tag}-before`)
      const jobIds = Object.fromEntries(
        await Promise.all(Object.entries(tools).map(async ([name, job]) => [name, await job] as const))
      )
      const calls = await stack.emulator.admin.calls()
      // Only this action lists jobs; the earlier build and the peers never do.
      const lists = calls.filter(call => call.operation === 'ListSigningJobs').length
      for (const [name, jobId] of Object.entries(jobIds)) {
        const found = await detection(stack, calls, jobId, name === 'action' ? lists : 0)
        ;(runs[name] ??= []).push(found)
        log(
          `  ${jobSeconds} s job, rep ${rep + 1}, ${name}: noticed ${found.delaySeconds.toFixed(2)} s late, ${found.statusCalls} status calls`
        )
      }
    }
    results[`${jobSeconds}s`] = {
      jobSeconds,
      tools: Object.fromEntries(
        Object.entries(runs).map(([name, found]) => [
          name,
          {
            delaySeconds: figure(found.map(one => one.delaySeconds)),
            statusCalls: figure(found.map(one => one.statusCalls))
          }
        ])
      )
    }
  }
  return results
}

export interface FanOutFigures {
  artifacts: number
  wallSeconds: Figure
  statusCalls: Figure
  /** 2 per artifact plus 2 per second of waiting, per run. */
  callBound: Figure
  ratioToOne?: number
}

/** 2. N artifacts with 4 s jobs at the default max-concurrency: wall time, its ratio to one, status calls. */
export async function fanOutSection(
  context: BenchContext,
  counts: number[],
  bundle: string
): Promise<FanOutFigures[]> {
  const { stack, reps, log } = context
  const results: FanOutFigures[] = []
  await stack.emulator.admin.configure({ jobDurationMs: 4000 })
  for (const artifacts of counts) {
    const walls: number[] = []
    const statusCalls: number[] = []
    const bounds: number[] = []
    for (let rep = 0; rep < reps; rep++) {
      await stack.emulator.admin.clearCalls()
      const files: Record<string, Buffer> = {}
      const tag = `${artifacts}-${rep}-${randomUUID()}`
      for (let i = 0; i < artifacts; i++)
        files[`dist/part-${i}.zip`] = lambdaZip(`fan-out ${tag} ${i} ${'x'.repeat(4096)}`)
      const started = process.hrtime.bigint()
      const run = await signFiles(stack, files, 'bench/fanout/', bundle)
      const wall = Number(process.hrtime.bigint() - started) / 1e9
      const signed = (JSON.parse(run.outputs.jobs ?? '[]') as { status: string }[]).filter(
        job => job.status === 'Succeeded'
      )
      if (run.exitCode !== 0 || signed.length !== artifacts) {
        throw new Error(
          `fan-out of ${artifacts}: ${signed.length} signed, exit ${run.exitCode}\n${run.stdout}`
        )
      }
      const calls = await stack.emulator.admin.calls()
      const status = calls.filter(call => STATUS_CALLS.includes(call.operation))
      const firstStart = Math.min(
        ...calls.filter(call => call.operation === 'StartSigningJob').map(call => Date.parse(call.time))
      )
      const waiting = (Math.max(...status.map(call => Date.parse(call.time))) - firstStart) / 1000
      walls.push(wall)
      statusCalls.push(status.length)
      bounds.push(2 * artifacts + 2 * Math.ceil(waiting))
      log(
        `  ${artifacts} artifacts, rep ${rep + 1}: ${wall.toFixed(1)} s, ${status.length} status calls (bound ${bounds.at(-1)})`
      )
    }
    results.push({
      artifacts,
      wallSeconds: figure(walls),
      statusCalls: figure(statusCalls),
      callBound: figure(bounds)
    })
  }
  const one = results.find(result => result.artifacts === 1)
  for (const result of results) {
    if (one) result.ratioToOne = round(result.wallSeconds.median / one.wallSeconds.median, 2)
  }
  return results
}

export interface StrategyFigures {
  strategy: WatchStrategy
  jobs: number
  delaySeconds: Figure
  worstDelaySeconds: Figure
  statusCalls: Figure
}

/**
 * 3. The watcher alone, in this process: the same jobs watched with one ListSigningJobs pass a second, or
 * with DescribeSigningJob per job under the shared budget. Jobs are started and described once first, as
 * the prepare stage does.
 */
export async function strategySection(context: BenchContext, counts: number[]): Promise<StrategyFigures[]> {
  const { stack, reps, log } = context
  const results: StrategyFigures[] = []
  await stack.emulator.admin.configure({ jobDurationMs: 4000 })
  for (const jobs of counts) {
    for (const strategy of ['list', 'describe'] as WatchStrategy[]) {
      const delays: number[] = []
      const worst: number[] = []
      const calls: number[] = []
      for (let rep = 0; rep < reps; rep++) {
        const tag = `${strategy}-${jobs}-${rep}-${randomUUID()}`
        const states = await Promise.all(
          Array.from({ length: jobs }, async (_, i) => {
            const key = `bench/strategy/${tag}/${i}.zip`
            const version = await putSource(stack.s3, stack.bucket, key, lambdaZip(`${tag} ${i}`))
            const started = await stack.signer.send(
              new StartSigningJobCommand({
                source: { s3: { bucketName: stack.bucket, key, version } },
                destination: { s3: { bucketName: stack.bucket, prefix: `bench/strategy-signed/` } },
                profileName: stack.profileName,
                clientRequestToken: randomUUID()
              })
            )
            return describeSigningJob(stack.signer, started.jobId as string)
          })
        )
        await stack.emulator.admin.clearCalls()
        const watcher = new JobWatcher(stack.signer, { strategy })
        const noticed = new Map<string, number>()
        await Promise.all(
          states.map(state => watcher.watch(state, 300).then(() => noticed.set(state.jobId, Date.now())))
        )
        const watchCalls = await stack.emulator.admin.calls()
        const runDelays: number[] = []
        for (const state of states) {
          const described = await stack.signer.send(new DescribeSigningJobCommand({ jobId: state.jobId }))
          runDelays.push(
            ((noticed.get(state.jobId) ?? NaN) - (described.completedAt?.getTime() ?? NaN)) / 1000
          )
        }
        delays.push(median(runDelays))
        worst.push(Math.max(...runDelays))
        calls.push(watchCalls.filter(call => STATUS_CALLS.includes(call.operation)).length)
        log(
          `  ${strategy}, ${jobs} jobs, rep ${rep + 1}: median ${median(runDelays).toFixed(2)} s late, ${calls.at(-1)} status calls`
        )
      }
      results.push({
        strategy,
        jobs,
        delaySeconds: figure(delays),
        worstDelaySeconds: figure(worst),
        statusCalls: figure(calls)
      })
    }
  }
  return results
}

export interface LargeFigures {
  sizeMb: number
  actionSeconds: Figure
  actionPeakRssMb: Figure
  peerSeconds: Figure
  peerPeakRssMb: Figure
  actionMbPerSecond: number
  peerMbPerSecond: number
  /** Peer time / action time: above 1, the action is faster. */
  speedup: number
}

async function deleteUnder(stack: LocalStack, prefix: string): Promise<void> {
  const listed = await stack.s3.send(new ListObjectVersionsCommand({ Bucket: stack.bucket, Prefix: prefix }))
  for (const version of [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])]) {
    await stack.s3.send(
      new DeleteObjectCommand({ Bucket: stack.bucket, Key: version.Key, VersionId: version.VersionId })
    )
  }
}

/**
 * 4. Large files: the action hashes and uploads (wait: false; the job is made to hang so the emulator never
 * reads the bytes back), against sha256sum plus aws s3 cp of the same file. Peak RSS of each.
 */
export async function largeSection(context: BenchContext, sizesMb: number[]): Promise<LargeFigures[]> {
  const { stack, reps, log } = context
  const profileName = 'bench_large'
  // Lambda's limit is 250 MB; the IoT platform takes up to 2048 MB.
  await stack.signer.send(
    new PutSigningProfileCommand({
      profileName,
      platformId: 'AWSIoTDeviceManagement-SHA256-ECDSA',
      signingMaterial: {
        certificateArn: `arn:aws:acm:${stack.region}:${stack.accountId}:certificate/00000000-0000-0000-0000-000000000000`
      }
    })
  )
  await stack.emulator.admin.injectFault({ type: 'hangJobs', profileName })
  const results: LargeFigures[] = []
  try {
    for (const sizeMb of sizesMb) {
      const workspace = makeWorkspace()
      const file = path.join(workspace, 'artifacts', 'large.bin')
      const action: number[] = []
      const actionRss: number[] = []
      const peer: number[] = []
      const peerRss: number[] = []
      try {
        for (let rep = 0; rep < reps; rep++) {
          writeFile(file, sizeMb * 1024 * 1024, `${sizeMb}-${rep}-${randomUUID()}`)
          let stopRss: (() => number) | undefined
          const started = process.hrtime.bigint()
          const run = await runAction({
            bundle: context.bundle,
            workspace,
            env: stack.env,
            inputs: {
              path: 'artifacts/large.bin',
              'profile-name': profileName,
              'source-bucket': stack.bucket,
              'source-prefix': 'bench/large/',
              wait: 'false'
            },
            onStart: child => (stopRss = followPeakRss(child))
          })
          action.push(Number(process.hrtime.bigint() - started) / 1e9)
          actionRss.push(stopRss?.() ?? NaN)
          if (run.exitCode !== 0) throw new Error(`large ${sizeMb} MB: exit ${run.exitCode}\n${run.stdout}`)

          const hashed = await runCommand('sha256sum', [file], cliEnv(stack))
          const copied = await runCommand(
            'aws',
            [
              's3',
              'cp',
              file,
              `s3://${stack.bucket}/bench/large-peer/large.bin`,
              '--only-show-errors',
              '--endpoint-url',
              stack.s3Endpoint,
              '--region',
              stack.region
            ],
            cliEnv(stack)
          )
          if (hashed.exitCode !== 0 || copied.exitCode !== 0) {
            throw new Error(`sha256sum / aws s3 cp failed: ${hashed.stderr} ${copied.stderr}`)
          }
          peer.push(hashed.seconds + copied.seconds)
          peerRss.push(Math.max(hashed.peakRssMb, copied.peakRssMb))
          log(
            `  ${sizeMb} MB, rep ${rep + 1}: action ${action.at(-1)?.toFixed(1)} s (${actionRss.at(-1)} MB peak), ` +
              `sha256sum + aws s3 cp ${peer.at(-1)?.toFixed(1)} s (${peerRss.at(-1)} MB peak)`
          )
          // moto keeps every version: free them before the next repetition.
          await deleteUnder(stack, 'bench/large')
        }
      } finally {
        fs.rmSync(workspace, { recursive: true, force: true })
      }
      const actionSeconds = figure(action)
      const peerSeconds = figure(peer)
      results.push({
        sizeMb,
        actionSeconds,
        actionPeakRssMb: figure(actionRss),
        peerSeconds,
        peerPeakRssMb: figure(peerRss),
        actionMbPerSecond: round(sizeMb / actionSeconds.median, 1),
        peerMbPerSecond: round(sizeMb / peerSeconds.median, 1),
        speedup: round(peerSeconds.median / actionSeconds.median, 2)
      })
    }
  } finally {
    await stack.emulator.admin.clearFaults()
  }
  return results
}

export interface ColdStartFigures {
  actionSeconds: Figure
  cliSeconds: Figure
  bundleBytes: number
  bundleGzipBytes: number
}

/** 5. From spawning the process to its first request reaching the emulator; the bundle's size. */
export async function coldStartSection(context: BenchContext): Promise<ColdStartFigures> {
  const { stack, log } = context
  const reps = Math.max(context.reps, 5)
  await stack.emulator.admin.configure({ jobDurationMs: 200 })
  const firstCallAfter = async (spawnedAt: number): Promise<number> => {
    const calls = await stack.emulator.admin.calls()
    if (calls.length === 0) throw new Error('no call reached the emulator')
    return (Math.min(...calls.map(call => Date.parse(call.time))) - spawnedAt) / 1000
  }
  const action: number[] = []
  const cli: number[] = []
  for (let rep = 0; rep < reps; rep++) {
    await stack.emulator.admin.clearCalls()
    let spawnedAt = 0
    const run = await runAction({
      bundle: context.bundle,
      workspace: makeWorkspace({ 'app.zip': lambdaZip(`cold start ${randomUUID()}`) }),
      env: stack.env,
      inputs: { path: 'app.zip', 'profile-name': stack.profileName, 'source-bucket': stack.bucket },
      onStart: () => (spawnedAt = Date.now())
    })
    if (run.exitCode !== 0) throw new Error(`cold start: exit ${run.exitCode}\n${run.stdout}`)
    action.push(await firstCallAfter(spawnedAt))

    await stack.emulator.admin.clearCalls()
    const listed = await runCommand(
      'aws',
      ['signer', 'list-signing-platforms', ...cliTarget(stack)],
      cliEnv(stack)
    )
    if (listed.exitCode !== 0) throw new Error(`aws signer list-signing-platforms failed: ${listed.stderr}`)
    cli.push(await firstCallAfter(listed.spawnedAt))
    log(
      `  rep ${rep + 1}: action ${action.at(-1)?.toFixed(2)} s, AWS CLI ${cli.at(-1)?.toFixed(2)} s to the first request`
    )
  }
  const bundle = fs.readFileSync(context.bundle)
  return {
    actionSeconds: figure(action),
    cliSeconds: figure(cli),
    bundleBytes: bundle.length,
    bundleGzipBytes: zlib.gzipSync(bundle).length
  }
}
