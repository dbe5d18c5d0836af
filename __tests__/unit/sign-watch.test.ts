import {
  AccessDeniedException,
  DescribeSigningJobCommand,
  InternalServiceErrorException,
  ListSigningJobsCommand,
  ResourceNotFoundException,
  SignerClient,
  TooManyRequestsException
} from '@aws-sdk/client-signer'
import { mockClient } from 'aws-sdk-client-mock'
import { JobStatusError, WaitTimeoutError } from '../../src/errors'
import { JobState } from '../../src/sign/types'
import { JobWatcher, WatchStrategy } from '../../src/sign/watch'

const signerMock = mockClient(SignerClient)
const signer = new SignerClient({ region: 'us-east-1' })
const INVOKER = '123456789012'
const REQUESTED_BY = `arn:aws:sts::${INVOKER}:assumed-role/release-signing/run-1001`

/** A fake Signer: each job finishes (or fails) at a given time, read from the faked clock. */
interface FakeJob {
  finishesAt: number
  fails?: string
  gone?: boolean
  /** Not listed before this time: ListSigningJobs promises no read-after-write. */
  listedFrom?: number
}
let jobs: Map<string, FakeJob>
let start: number
/** Every status call, with its time since the start and, for a describe, the job. */
let calls: { at: number; operation: string; jobId?: string }[]

const elapsed = (): number => Date.now() - start
const status = (job: FakeJob): string =>
  elapsed() < job.finishesAt ? 'InProgress' : job.fails ? 'Failed' : 'Succeeded'
const throttled = (): Error =>
  new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } })

function fakeSigner(): void {
  signerMock.on(DescribeSigningJobCommand).callsFake(input => {
    const jobId = input.jobId as string
    calls.push({ at: elapsed(), operation: 'DescribeSigningJob', jobId })
    const job = jobs.get(jobId)
    if (!job || job.gone) {
      throw new ResourceNotFoundException({
        message: `No signing job with id ${jobId}.`,
        $metadata: { httpStatusCode: 404 }
      })
    }
    return {
      jobId,
      status: status(job),
      statusReason: job.fails,
      requestedBy: REQUESTED_BY,
      jobInvoker: INVOKER,
      signedObject:
        status(job) === 'Succeeded' ? { s3: { bucketName: 'b', key: `signed/${jobId}` } } : undefined
    }
  })
  signerMock.on(ListSigningJobsCommand).callsFake(input => {
    calls.push({ at: elapsed(), operation: 'ListSigningJobs' })
    const inProgress = [...jobs.entries()]
      .filter(([, job]) => !job.gone && status(job) === 'InProgress' && elapsed() >= (job.listedFrom ?? 0))
      .map(([jobId]) => ({ jobId, status: 'InProgress' }))
    const from = Number(input.nextToken ?? 0)
    const page = inProgress.slice(from, from + (input.maxResults ?? 25))
    const next = from + page.length
    return { jobs: page, nextToken: next < inProgress.length ? String(next) : undefined }
  })
}

/** Jobs as the prepare stage hands them over: started, described once, still InProgress. */
function started(...specs: [string, FakeJob][]): JobState[] {
  for (const [jobId, job] of specs) jobs.set(jobId, job)
  return specs.map(([jobId]) => ({
    jobId,
    status: 'InProgress',
    requestedBy: REQUESTED_BY,
    jobInvoker: INVOKER
  }))
}

function watcher(strategy: WatchStrategy = 'auto'): {
  watcher: JobWatcher
  info: string[]
  warnings: string[]
} {
  const info: string[] = []
  const warnings: string[] = []
  return {
    watcher: new JobWatcher(signer, {
      strategy,
      info: line => info.push(line),
      warning: line => warnings.push(line)
    }),
    info,
    warnings
  }
}

/** Settles a watch without an unhandled rejection, for asserting on later. */
const settled = (promise: Promise<JobState>): Promise<JobState | Error> =>
  promise.catch((error: Error) => error)
const describes = (jobId?: string) =>
  calls.filter(call => call.operation === 'DescribeSigningJob' && (!jobId || call.jobId === jobId))
const lists = () => calls.filter(call => call.operation === 'ListSigningJobs')

beforeEach(() => {
  jest.useFakeTimers()
  signerMock.reset()
  jobs = new Map()
  calls = []
  start = Date.now()
  fakeSigner()
})
afterEach(() => jest.useRealTimers())

describe('JobWatcher: cadence', () => {
  it('reads one job once a second and notices it finished within a second', async () => {
    const [job] = started(['job-1', { finishesAt: 3200 }])
    const watching = watcher().watcher.watch(job, 600)
    await jest.advanceTimersByTimeAsync(5000)
    const state = await watching
    expect(state).toMatchObject({
      jobId: 'job-1',
      status: 'Succeeded',
      signedObject: { key: 'signed/job-1' }
    })
    expect(describes().map(call => call.at)).toEqual([1000, 2000, 3000, 4000])
    // One job is described directly: no listing, no permission beyond DescribeSigningJob.
    expect(lists()).toEqual([])
  })

  it("keeps a steady one-second cadence for a long job, never the waiter's growing delays", async () => {
    const [job] = started(['job-1', { finishesAt: 29_500 }])
    const watching = watcher().watcher.watch(job, 600)
    await jest.advanceTimersByTimeAsync(31_000)
    await watching
    const times = describes().map(call => call.at)
    expect(times).toHaveLength(30)
    expect(times.slice(1).map((time, i) => time - times[i])).toEqual(new Array(29).fill(1000))
  })

  it("resolves a Failed job with Signer's reason (the run turns it into a JobFailedError)", async () => {
    const [job] = started(['job-9', { finishesAt: 500, fails: 'Source object is not a zip file' }])
    const watching = watcher().watcher.watch(job, 600)
    await jest.advanceTimersByTimeAsync(1000)
    expect(await watching).toMatchObject({
      status: 'Failed',
      statusReason: 'Source object is not a zip file'
    })
  })

  it('shares one watch between two artifacts with the same job', async () => {
    const [job] = started(['job-1', { finishesAt: 1500 }])
    const { watcher: shared } = watcher()
    const first = shared.watch(job, 600)
    const second = shared.watch(job, 600)
    expect(second).toBe(first)
    await jest.advanceTimersByTimeAsync(2000)
    expect(describes()).toHaveLength(2)
  })
})

describe('JobWatcher: batching', () => {
  it('learns about many jobs with one ListSigningJobs a second, then one describe per finished job', async () => {
    const specs = Array.from({ length: 24 }, (_, i): [string, FakeJob] => [
      `job-${i}`,
      { finishesAt: i < 12 ? 2500 : 4500 }
    ])
    const { watcher: all } = watcher()
    const watching = started(...specs).map(job => all.watch(job, 600))
    await jest.advanceTimersByTimeAsync(6000)
    const states = await Promise.all(watching)
    expect(states.every(state => state.status === 'Succeeded')).toBe(true)
    expect(lists().map(call => call.at)).toEqual([1000, 2000, 3000, 4000, 5000])
    // Each job is described once, in the first pass that no longer lists it.
    expect(describes()).toHaveLength(24)
    expect(describes('job-0')[0].at).toBe(3000)
    expect(describes('job-23')[0].at).toBe(5000)
    // The exact listing: InProgress jobs of the caller that started them, the largest page.
    expect(signerMock.commandCalls(ListSigningJobsCommand)[0].args[0].input).toEqual({
      status: 'InProgress',
      requestedBy: REQUESTED_BY,
      maxResults: 25
    })
  })

  it('reads only the pages it needs, and stretches the cadence to two pages a second', async () => {
    // 60 jobs in progress: three pages of 25. All are watched: each pass reads all three.
    const specs = Array.from({ length: 60 }, (_, i): [string, FakeJob] => [`job-${i}`, { finishesAt: 5200 }])
    const { watcher: all } = watcher()
    const watching = started(...specs).map(job => all.watch(job, 600))
    await jest.advanceTimersByTimeAsync(9000)
    await Promise.all(watching)
    const passes = [...new Set(lists().map(call => call.at))]
    expect(passes).toEqual([1000, 2500, 4000, 5500])
    expect(lists()).toHaveLength(3 * 3 + 1)
  })

  it('does not filter on requestedBy when the jobs were started by different callers', async () => {
    const [a, b, c] = started(
      ['a', { finishesAt: 500 }],
      ['b', { finishesAt: 500 }],
      ['c', { finishesAt: 500 }]
    )
    const { watcher: all } = watcher()
    const watching = [a, b, { ...c, requestedBy: 'arn:aws:iam::123456789012:user/someone-else' }].map(job =>
      all.watch(job, 600)
    )
    await jest.advanceTimersByTimeAsync(1000)
    await Promise.all(watching)
    expect(signerMock.commandCalls(ListSigningJobsCommand)[0].args[0].input).toEqual({
      status: 'InProgress',
      jobInvoker: INVOKER,
      maxResults: 25
    })
  })
})

describe('JobWatcher: throttling', () => {
  it('slows down on 429 (2 s, 4 s, 8 s), back to 1 s after a clean pass, and never fails a job', async () => {
    const specs = Array.from({ length: 5 }, (_, i): [string, FakeJob] => [`job-${i}`, { finishesAt: 20_000 }])
    let listCalls = 0
    signerMock.on(ListSigningJobsCommand).callsFake(() => {
      calls.push({ at: elapsed(), operation: 'ListSigningJobs' })
      listCalls++
      if (listCalls >= 2 && listCalls <= 4) throw throttled()
      const inProgress = [...jobs.keys()].filter(id => elapsed() < (jobs.get(id)?.finishesAt ?? 0))
      return { jobs: inProgress.map(jobId => ({ jobId })) }
    })
    const { watcher: all, info } = watcher()
    const watching = started(...specs).map(job => settled(all.watch(job, 600)))
    await jest.advanceTimersByTimeAsync(22_000)
    const states = await Promise.all(watching)
    expect(states.map(state => (state as JobState).status)).toEqual(new Array(5).fill('Succeeded'))
    // Passes at 1 s; throttled at 2 s, 4 s, 8 s (the gaps double); clean at 16 s, then every second.
    expect(
      lists()
        .map(call => call.at)
        .slice(0, 7)
    ).toEqual([1000, 2000, 4000, 8000, 16_000, 17_000, 18_000])
    expect(info).toEqual([
      'Signer is throttling or failing status calls: next check in 2 s',
      'Signer is throttling or failing status calls: next check in 4 s',
      'Signer is throttling or failing status calls: next check in 8 s'
    ])
  })

  it('keeps reading a job through throttling and 5xx on DescribeSigningJob', async () => {
    const [job] = started(['job-1', { finishesAt: 2500 }])
    signerMock
      .on(DescribeSigningJobCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(new InternalServiceErrorException({ message: 'boom', $metadata: { httpStatusCode: 500 } }))
      .resolves({ jobId: 'job-1', status: 'Succeeded' })
    const watching = watcher().watcher.watch(job, 600)
    await jest.advanceTimersByTimeAsync(10_000)
    expect(await watching).toMatchObject({ status: 'Succeeded' })
    expect(signerMock).toHaveReceivedCommandTimes(DescribeSigningJobCommand, 3)
  })
})

describe('JobWatcher: jobs that cannot be read', () => {
  it('fails a job that vanished, naming it, and goes on with the others', async () => {
    const specs = Array.from({ length: 4 }, (_, i): [string, FakeJob] => [`job-${i}`, { finishesAt: 3500 }])
    const { watcher: all } = watcher()
    const watching = started(...specs).map(job => settled(all.watch(job, 600)))
    await jest.advanceTimersByTimeAsync(1500)
    jobs.get('job-2')!.gone = true
    await jest.advanceTimersByTimeAsync(3000)
    const [first, , gone, last] = await Promise.all(watching)
    expect(gone).toBeInstanceOf(JobStatusError)
    expect((gone as Error).message).toBe(
      'Signing job job-2 no longer exists: DescribeSigningJob answered ResourceNotFoundException: No signing job with id job-2.'
    )
    // Noticed in the first pass after it left the listing, not at the others' end.
    expect(describes('job-2').map(call => call.at)).toEqual([2000])
    expect([first, last].map(state => (state as JobState).status)).toEqual(['Succeeded', 'Succeeded'])
  })

  it('fails at once on AccessDenied, naming the job, the call and the permission: no waiting out the timeout', async () => {
    const [job] = started(['job-1', { finishesAt: 60_000 }])
    signerMock.on(DescribeSigningJobCommand).rejects(
      new AccessDeniedException({
        message: 'User is not authorized to perform: signer:DescribeSigningJob',
        $metadata: { httpStatusCode: 403 }
      })
    )
    const watching = settled(watcher().watcher.watch(job, 600))
    await jest.advanceTimersByTimeAsync(1000)
    const error = await watching
    expect(error).toBeInstanceOf(JobStatusError)
    expect((error as Error).message).toBe(
      'Could not read the status of signing job job-1: DescribeSigningJob failed with AccessDeniedException: ' +
        'User is not authorized to perform: signer:DescribeSigningJob. It is not retried: DescribeSigningJob ' +
        'needs the permission signer:DescribeSigningJob'
    )
    await jest.advanceTimersByTimeAsync(10_000)
    expect(signerMock).toHaveReceivedCommandTimes(DescribeSigningJobCommand, 1)
  })

  it('without signer:ListSigningJobs, warns once and describes the jobs within the same budget', async () => {
    const specs = Array.from({ length: 4 }, (_, i): [string, FakeJob] => [`job-${i}`, { finishesAt: 1500 }])
    signerMock
      .on(ListSigningJobsCommand)
      .rejects(new AccessDeniedException({ message: 'not authorized', $metadata: { httpStatusCode: 403 } }))
    const { watcher: all, warnings } = watcher()
    const watching = started(...specs).map(job => all.watch(job, 600))
    await jest.advanceTimersByTimeAsync(4000)
    expect((await Promise.all(watching)).map(state => state.status)).toEqual(new Array(4).fill('Succeeded'))
    expect(signerMock).toHaveReceivedCommandTimes(ListSigningJobsCommand, 1)
    expect(warnings).toEqual([
      'ListSigningJobs failed with AccessDeniedException: not authorized (it needs signer:ListSigningJobs): ' +
        'watching the jobs with DescribeSigningJob instead, 2 calls a second, so finished jobs may be noticed ' +
        'later. Grant signer:ListSigningJobs to watch many jobs with one call a second.'
    ])
    // Two describes a pass, the jobs read longest ago first.
    expect(describes().map(call => [call.at, call.jobId])).toEqual([
      [1000, 'job-0'],
      [1000, 'job-1'],
      [2000, 'job-2'],
      [2000, 'job-3'],
      [3000, 'job-0'],
      [3000, 'job-1']
    ])
  })
})

describe('JobWatcher: what ListSigningJobs does not promise', () => {
  /** Another run's jobs, still in progress, listed before this run's (no order is promised). */
  const crowd = (count: number): void => {
    for (let i = 0; i < count; i++) jobs.set(`other-${i}`, { finishesAt: Number.POSITIVE_INFINITY })
  }
  const bound = (artifacts: number, ms: number) => artifacts + 2 * Math.ceil(ms / 1000)

  it('a crowded listing: describes its own jobs within the budget instead of paging, and warns once naming the fix', async () => {
    crowd(200)
    const specs = Array.from({ length: 6 }, (_, i): [string, FakeJob] => [`job-${i}`, { finishesAt: 3500 }])
    const { watcher: all, warnings } = watcher()
    const watching = started(...specs).map(job => all.watch(job, 600))
    await jest.advanceTimersByTimeAsync(10_000)
    expect((await Promise.all(watching)).every(state => state.status === 'Succeeded')).toBe(true)
    const last = Math.max(...calls.map(call => call.at))
    // The first listing stops at the 4 pages its budget allows (4 calls after 1 s of waiting, fewer than
    // describing the 6 jobs would cost) without finding them, then none.
    expect(lists()).toHaveLength(4)
    expect(calls.length).toBeLessThanOrEqual(bound(6, last))
    expect(describes().every(call => call.jobId?.startsWith('job-'))).toBe(true)
    expect(warnings).toEqual([
      `ListSigningJobs shows at least 100 signing job(s) in progress requested by ${REQUESTED_BY} besides the 6 ` +
        "this run started: other runs share this run's AWS identity. Watching this run's 6 job(s) with " +
        'DescribeSigningJob instead, within the same call budget. Give each run its own role session name: in ' +
        'aws-actions/configure-aws-credentials set role-session-name, for example ' +
        '`role-session-name: sign-${{ github.run_id }}-${{ github.run_attempt }}`.'
    ])
  })

  it('a crowd that costs fewer pages than jobs: keeps listing, and still warns once', async () => {
    crowd(30)
    const specs = Array.from({ length: 24 }, (_, i): [string, FakeJob] => [`job-${i}`, { finishesAt: 2500 }])
    const { watcher: all, warnings } = watcher()
    const watching = started(...specs).map(job => all.watch(job, 600))
    await jest.advanceTimersByTimeAsync(6000)
    await Promise.all(watching)
    // 54 in progress: three pages a pass, stretched to 1.5 s; each job described once, when it left.
    expect(lists().map(call => call.at)).toEqual([1000, 1000, 1000, 2500, 2500])
    expect(describes()).toHaveLength(24)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('shows 30 signing job(s) in progress')
    expect(warnings[0]).toContain('Listing them costs this run ListSigningJobs pages')
  })

  it('jobs the listing does not show yet are described once, then take turns within the budget', async () => {
    // Eight jobs the listing never shows while they run (it lags), and one it shows.
    const lagging = Array.from({ length: 8 }, (_, i): [string, FakeJob] => [
      `lag-${i}`,
      { finishesAt: 2500, listedFrom: Number.POSITIVE_INFINITY }
    ])
    const { watcher: all } = watcher()
    const watching = started(['listed', { finishesAt: 20_000 }], ...lagging).map(job => all.watch(job, 600))
    await jest.advanceTimersByTimeAsync(25_000)
    expect((await Promise.all(watching)).every(state => state.status === 'Succeeded')).toBe(true)
    const perPass = new Map<number, number>()
    for (const call of describes()) perPass.set(call.at, (perPass.get(call.at) ?? 0) + 1)
    // First missing: described at once (most likely finished). Missing again while running: they take
    // turns, within the budget of 2 calls a pass, instead of each being described on every pass.
    expect(perPass.get(1000)).toBe(8)
    expect([...perPass.entries()].filter(([at]) => at > 1000).every(([, count]) => count <= 2)).toBe(true)
    expect(describes('lag-7').map(call => call.at)).toEqual([1000, 9000])
    expect(Math.max(...lagging.map(([jobId]) => describes(jobId).length))).toBeLessThanOrEqual(3)
    const last = Math.max(...calls.map(call => call.at))
    expect(calls.length).toBeLessThanOrEqual(bound(9, last))
  })
})

describe('JobWatcher: timeout per job', () => {
  it('times out each job at its own deadline, reading it once more at the deadline', async () => {
    const [short, long] = started(['short', { finishesAt: 60_000 }], ['long', { finishesAt: 5200 }])
    const { watcher: both } = watcher()
    const shortWatch = settled(both.watch(short, 2.5))
    const longWatch = settled(both.watch(long, 600))
    await jest.advanceTimersByTimeAsync(7000)
    const error = await shortWatch
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect((error as Error).message).toBe(
      'Signing job short did not finish within 2.5 s; check it with: aws signer describe-signing-job --job-id short'
    )
    expect(describes('short').map(call => call.at)).toEqual([1000, 2000, 2500])
    expect(await longWatch).toMatchObject({ status: 'Succeeded' })
  })

  it('uses the whole timeout: a job finishing just before its deadline is not reported as timed out', async () => {
    const [job] = started(['job-1', { finishesAt: 9_950 }])
    const watching = watcher().watcher.watch(job, 9.99)
    await jest.advanceTimersByTimeAsync(11_000)
    expect(await watching).toMatchObject({ status: 'Succeeded' })
    expect(describes().at(-1)?.at).toBe(9_990)
  })

  it('a job still unreadable (throttled) at its deadline times out', async () => {
    const [job] = started(['job-1', { finishesAt: 60_000 }])
    signerMock.on(DescribeSigningJobCommand).rejects(throttled())
    const watching = settled(watcher().watcher.watch(job, 5))
    await jest.advanceTimersByTimeAsync(6000)
    expect(await watching).toBeInstanceOf(WaitTimeoutError)
  })
})
