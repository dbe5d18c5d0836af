/**
 * Organisation scale, for npm run bench and the integration tests: many releases at once on one account
 * under Signer's per-account quota, and a mass revocation at the quota. The emulator enforces the quota
 * (a token bucket per operation with a one-second burst), as Signer does.
 */
import { randomUUID } from 'node:crypto'
import { paginateListSigningJobs, StartSigningJobCommand } from '@aws-sdk/client-signer'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { mapLimit } from '../src/concurrency'
import { zipArchive } from './zip'
import { JobOutput } from '../src/report/sign-outputs'
import { Figure, figure, round } from './bench-support'
import { ActionRun, makeWorkspace, runAction } from './run-action'
import { LocalStack } from './stack'

export interface ReleasesFigures {
  releases: number
  artifactsEach: number
  startsPerSecond: number
  /** Wall time of all releases together. */
  seconds: Figure
  /** The quota's own time for every StartSigningJob: (jobs - burst) / rate, plus one job's duration. */
  floorSeconds: number
  throttledCalls: Figure
  /** Signing jobs Signer holds for the releases, per artifact: 1 when no start was duplicated. */
  jobsPerArtifact: Figure
  allSigned: boolean
}

export interface ReleasesRun {
  seconds: number
  throttled: number
  jobs: number
  artifacts: number
  runs: ActionRun[]
}

/** Jobs Signer holds whose source object is under `prefix`. */
async function jobsUnder(stack: LocalStack, prefix: string): Promise<number> {
  let count = 0
  for await (const page of paginateListSigningJobs({ client: stack.signer, pageSize: 25 }, {})) {
    count += (page.jobs ?? []).filter(job => job.source?.s3?.key?.startsWith(prefix)).length
  }
  return count
}

/**
 * `releases` runs of sign mode at once, each signing `artifactsEach` artifacts of its own (as many
 * repositories releasing on one account), while StartSigningJob is limited to `startsPerSecond`.
 */
export async function concurrentReleases(
  stack: LocalStack,
  options: { releases: number; artifactsEach: number; startsPerSecond: number; bundle?: string }
): Promise<ReleasesRun> {
  const { releases, artifactsEach } = options
  await stack.emulator.admin.configure({ rateLimits: { StartSigningJob: options.startsPerSecond } })
  await stack.emulator.admin.clearCalls()
  const tag = randomUUID().slice(0, 8)
  try {
    const started = process.hrtime.bigint()
    const runs = await Promise.all(
      Array.from({ length: releases }, (_, release) => {
        const files: Record<string, Buffer> = {}
        for (let i = 0; i < artifactsEach; i++)
          files[`dist/part-${i}.zip`] = zipArchive({ 'index.js': `release ${tag} ${release} artifact ${i}` })
        return signFiles(stack, files, `scale/${tag}/release-${release}/`, options.bundle)
      })
    )
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const starts = await stack.emulator.admin.calls('StartSigningJob')
    return {
      seconds,
      throttled: starts.filter(call => call.status === 429).length,
      jobs: await jobsUnder(stack, `scale/${tag}/`),
      artifacts: releases * artifactsEach,
      runs
    }
  } finally {
    await stack.emulator.admin.configure({ rateLimits: {} })
  }
}

/** Sign mode on `dist/*.zip` of a workspace holding `files`, as a release workflow runs it. */
export function signFiles(
  stack: LocalStack,
  files: Record<string, string | Buffer>,
  sourcePrefix: string,
  bundle?: string
): Promise<ActionRun> {
  return runAction({
    bundle,
    workspace: makeWorkspace(files),
    env: stack.env,
    inputs: {
      path: 'dist/*.zip',
      'profile-name': stack.profileName,
      'source-bucket': stack.bucket,
      'source-prefix': sourcePrefix,
      'timeout-seconds': '300'
    }
  })
}

/** Every artifact of every release signed by exactly one job. */
export function allSigned(run: ReleasesRun): boolean {
  return run.runs.every(one => {
    const jobs = JSON.parse(one.outputs.jobs ?? '[]') as JobOutput[]
    return one.exitCode === 0 && jobs.length > 0 && jobs.every(job => job.status === 'Succeeded')
  })
}

/** The quota's floor for `jobs` starts: the burst goes at once, the rest at the rate. */
export function quotaFloorSeconds(jobs: number, perSecond: number): number {
  return Math.max(0, jobs - perSecond) / perSecond
}

/** "Many runs on one account": releases at once under the StartSigningJob quota, `reps` times. */
export async function releasesSection(
  stack: LocalStack,
  cases: { releases: number; artifactsEach: number; startsPerSecond: number }[],
  reps: number,
  log: (line: string) => void,
  bundle?: string
): Promise<ReleasesFigures[]> {
  const results: ReleasesFigures[] = []
  for (const one of cases) {
    const runs: ReleasesRun[] = []
    for (let rep = 0; rep < reps; rep++) {
      const run = await concurrentReleases(stack, { ...one, bundle })
      runs.push(run)
      log(
        `  ${one.releases} releases x ${one.artifactsEach} at ${one.startsPerSecond} starts/s, rep ${rep + 1}: ` +
          `${run.seconds.toFixed(1)} s, ${run.throttled} throttled, ${run.jobs} jobs for ${run.artifacts} artifacts` +
          (allSigned(run) ? '' : ', NOT all signed')
      )
    }
    const jobDuration = (await stack.emulator.admin.settings()).jobDurationMs / 1000
    results.push({
      ...one,
      seconds: figure(runs.map(run => run.seconds)),
      floorSeconds: round(
        quotaFloorSeconds(one.releases * one.artifactsEach, one.startsPerSecond) + jobDuration,
        2
      ),
      throttledCalls: figure(runs.map(run => run.throttled)),
      jobsPerArtifact: figure(runs.map(run => run.jobs / run.artifacts)),
      allSigned: runs.every(allSigned)
    })
  }
  return results
}

export interface RevokeAtQuotaFigures {
  jobs: number
  revocationsPerSecond: number
  seconds: Figure
  floorSeconds: number
  throttledCalls: Figure
  allRevokedOnce: boolean
}

/** `count` Succeeded signing jobs, started `concurrency` at a time without a quota. */
export async function seedJobs(stack: LocalStack, count: number, concurrency = 50): Promise<string[]> {
  const key = `scale/revoke/${randomUUID()}.zip`
  const put = await stack.s3.send(
    new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: zipArchive({ 'index.js': key }) })
  )
  const ids = await mapLimit(Array.from({ length: count }), concurrency, async () => {
    const started = await stack.signer.send(
      new StartSigningJobCommand({
        profileName: stack.profileName,
        clientRequestToken: randomUUID(),
        source: { s3: { bucketName: stack.bucket, key, version: put.VersionId } },
        destination: { s3: { bucketName: stack.bucket, prefix: 'scale/revoke-signed/' } }
      })
    )
    return started.jobId as string
  })
  await untilFinished(stack, new Set(ids))
  return ids
}

/** Waits until none of these jobs is listed in progress (other jobs may be: a hanging profile's). */
async function untilFinished(stack: LocalStack, jobIds: ReadonlySet<string>): Promise<void> {
  for (;;) {
    let pending = false
    for await (const page of paginateListSigningJobs(
      { client: stack.signer, pageSize: 25 },
      { status: 'InProgress' }
    )) {
      pending ||= (page.jobs ?? []).some(job => job.jobId !== undefined && jobIds.has(job.jobId))
    }
    if (!pending) return
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}

/** "Revoke at the quota": `jobs` signatures found by a time-window search, RevokeSignature limited. */
export async function revokeAtQuotaSection(
  stack: LocalStack,
  options: { jobs: number; revocationsPerSecond: number },
  reps: number,
  log: (line: string) => void,
  bundle?: string
): Promise<RevokeAtQuotaFigures> {
  const seconds: number[] = []
  const throttled: number[] = []
  let allOnce = true
  for (let rep = 0; rep < reps; rep++) {
    // Each repetition's window holds its own jobs only: the earlier ones were signed before it.
    const signedAfter = new Date()
    await new Promise(resolve => setTimeout(resolve, 5))
    const jobIds = await seedJobs(stack, options.jobs)
    await stack.emulator.admin.configure({ rateLimits: { RevokeSignature: options.revocationsPerSecond } })
    await stack.emulator.admin.clearCalls()
    try {
      const started = process.hrtime.bigint()
      const run = await runAction({
        bundle,
        env: stack.env,
        inputs: {
          mode: 'revoke',
          reason: 'bench: revoke at the quota',
          'profile-name': stack.profileName,
          'signed-after': signedAfter.toISOString()
        }
      })
      seconds.push(Number(process.hrtime.bigint() - started) / 1e9)
      const calls = await stack.emulator.admin.calls('RevokeSignature')
      throttled.push(calls.filter(call => call.status === 429).length)
      const accepted = calls.filter(call => call.status === 200).map(call => String(call.input.jobId))
      const once =
        run.exitCode === 0 && accepted.length === jobIds.length && new Set(accepted).size === jobIds.length
      allOnce &&= once && jobIds.every(jobId => accepted.includes(jobId))
      log(
        `  ${options.jobs} revocations at ${options.revocationsPerSecond}/s, rep ${rep + 1}: ` +
          `${seconds.at(-1)?.toFixed(1)} s, ${throttled.at(-1)} throttled, exit ${run.exitCode}`
      )
    } finally {
      await stack.emulator.admin.configure({ rateLimits: {} })
    }
  }
  return {
    ...options,
    seconds: figure(seconds),
    floorSeconds: round(quotaFloorSeconds(options.jobs, options.revocationsPerSecond), 2),
    throttledCalls: figure(throttled),
    allRevokedOnce: allOnce
  }
}
