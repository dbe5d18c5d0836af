import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {
  DescribeSigningJobCommand,
  GetSigningPlatformCommand,
  GetSigningProfileCommand,
  ListSigningJobsCommand,
  ResourceNotFoundException,
  RevokeSignatureCommand,
  RevokeSigningProfileCommand,
  SignerClient,
  TooManyRequestsException
} from '@aws-sdk/client-signer'
import { mockClient } from 'aws-sdk-client-mock'
// The matchers are registered by the unit project's setup; this import brings their types.
import { RevokeConfig } from '../../src/config'
import { PartialFailureError } from '../../src/errors'
import { runRevoke } from '../../src/revoke/run'
import { captureRun, mockedClients, runContext } from '../support/run-harness'

const NOW = new Date('2026-11-23T12:00:00Z')
const OWNER = '123456789012'
const REASON = 'build runner compromised'
const CONTEXT = runContext()

const signer = mockClient(SignerClient)
const clients = mockedClients()

function config(overrides: Partial<RevokeConfig> = {}): RevokeConfig {
  return { mode: 'revoke', reason: REASON, jobIds: [], dryRun: false, showSummary: false, ...overrides }
}

function described(jobId: string, extra: Record<string, unknown> = {}) {
  return {
    jobId,
    jobOwner: OWNER,
    status: 'Succeeded' as const,
    profileName: 'release_signing',
    profileVersion: 'Ver0000001',
    createdAt: new Date('2026-11-21T10:00:00Z'),
    ...extra
  }
}

const captured = captureRun()

beforeEach(() => signer.reset())
// Each test's incident record in a fresh RUNNER_TEMP, as on a runner: the record file is created exclusively.
const runnerTemp = process.env.RUNNER_TEMP
beforeEach(() => {
  process.env.RUNNER_TEMP = fs.mkdtempSync(path.join(os.tmpdir(), 'revoke-run-'))
})
afterEach(() => {
  fs.rmSync(process.env.RUNNER_TEMP ?? '', { recursive: true, force: true })
  if (runnerTemp === undefined) delete process.env.RUNNER_TEMP
  else process.env.RUNNER_TEMP = runnerTemp
})

function run(cfg: RevokeConfig, concurrency?: number) {
  return runRevoke(cfg, clients, CONTEXT, { now: () => NOW, concurrency })
}

describe('runRevoke with job ids', () => {
  it('describes each job, then revokes it with the job owner and the reason', async () => {
    signer.on(DescribeSigningJobCommand).callsFake(input => described(input.jobId))
    signer.on(RevokeSignatureCommand).resolves({})
    const record = await run(config({ jobIds: ['job-a', 'job-b'], jobOwner: OWNER }))

    expect(signer).toHaveReceivedCommandTimes(DescribeSigningJobCommand, 2)
    expect(signer).toHaveReceivedCommandWith(DescribeSigningJobCommand, { jobId: 'job-a' })
    expect(signer.commandCalls(RevokeSignatureCommand).map(call => call.args[0].input)).toEqual([
      { jobId: 'job-a', reason: REASON, jobOwner: OWNER },
      { jobId: 'job-b', reason: REASON, jobOwner: OWNER }
    ])
    expect(signer).not.toHaveReceivedCommand(RevokeSigningProfileCommand)
    expect(signer).not.toHaveReceivedCommand(ListSigningJobsCommand)
    expect(captured.outputs).toEqual({
      'revoked-job-ids': '["job-a","job-b"]',
      'skipped-job-ids': '[]',
      'failed-job-ids': '[]',
      'contradicted-job-ids': '[]',
      'planned-job-ids': '["job-a","job-b"]',
      'revoked-profile-version': '',
      'unresolved-job-ids': '[]',
      'record-path': expect.stringMatching(/signer-revocation-77-1\.json$/)
    })
    expect(record.jobs.map(job => job.outcome)).toEqual(['revoked', 'revoked'])
    expect(record).toMatchObject({
      actor: 'octo-sec',
      startedAt: '2026-11-23T12:00:00.000Z',
      runUrl: 'https://github.com/acme/firmware/actions/runs/77'
    })
    expect(captured.log).toContain('Revoked the signature of signing job job-a')
  })

  it('sends the owner DescribeSigningJob reported when job-owner is not given', async () => {
    signer.on(DescribeSigningJobCommand).resolves(described('job-a', { jobOwner: '210987654321' }))
    signer.on(RevokeSignatureCommand).resolves({})
    await run(config({ jobIds: ['job-a'] }))
    expect(signer.commandCalls(RevokeSignatureCommand)[0].args[0].input).toEqual({
      jobId: 'job-a',
      reason: REASON,
      jobOwner: '210987654321'
    })
  })

  it('skips an already revoked job with a notice and no RevokeSignature call', async () => {
    signer.on(DescribeSigningJobCommand, { jobId: 'job-a' }).resolves(described('job-a'))
    signer.on(DescribeSigningJobCommand, { jobId: 'job-old' }).resolves(
      described('job-old', {
        revocationRecord: {
          reason: 'earlier incident',
          revokedAt: new Date('2026-11-01T00:00:00Z'),
          revokedBy: 'sec'
        }
      })
    )
    signer.on(RevokeSignatureCommand).resolves({})
    await run(config({ jobIds: ['job-old', 'job-a'] }))

    expect(signer).toHaveReceivedCommandTimes(RevokeSignatureCommand, 1)
    expect(signer).toHaveReceivedCommandWith(RevokeSignatureCommand, { jobId: 'job-a' })
    expect(captured.log).toContain(
      '::notice::Signing job job-old skipped: already revoked at 2026-11-01T00:00:00.000Z by sec: earlier incident'
    )
    expect(captured.outputs['skipped-job-ids']).toBe('["job-old"]')
    expect(captured.outputs['revoked-job-ids']).toBe('["job-a"]')
    expect(captured.outputs['planned-job-ids']).toBe('["job-a"]')
  })

  it('goes on past an unknown job and fails at the end naming every job it could not revoke', async () => {
    signer.on(DescribeSigningJobCommand).callsFake(input => {
      if (input.jobId === 'job-missing') {
        throw new ResourceNotFoundException({ message: 'Job job-missing does not exist', $metadata: {} })
      }
      return described(input.jobId)
    })
    signer.on(RevokeSignatureCommand, { jobId: 'job-b' }).rejects(new Error('connection reset'))
    signer.on(RevokeSignatureCommand, { jobId: 'job-a' }).resolves({})
    signer.on(RevokeSignatureCommand, { jobId: 'job-c' }).resolves({})

    const result = run(config({ jobIds: ['job-a', 'job-missing', 'job-b', 'job-c'] }))
    await expect(result).rejects.toThrow(PartialFailureError)
    await expect(result).rejects.toThrow('Could not revoke signing job(s) job-missing, job-b.')

    expect(signer).toHaveReceivedCommandTimes(RevokeSignatureCommand, 3)
    expect(signer).not.toHaveReceivedCommandWith(RevokeSignatureCommand, { jobId: 'job-missing' })
    expect(captured.outputs['revoked-job-ids']).toBe('["job-a","job-c"]')
    expect(captured.outputs['failed-job-ids']).toBe('["job-missing","job-b"]')
    expect(captured.log).toContain(
      '::error::Signing job job-missing: DescribeSigningJob: ResourceNotFoundException: Job job-missing does not exist'
    )
    expect(captured.log).toContain('::error::Signing job job-b: RevokeSignature: connection reset')
  })

  it('keeps at most `concurrency` calls in flight across hundreds of jobs', async () => {
    let inFlight = 0
    let most = 0
    const slow = async <T>(value: T): Promise<T> => {
      inFlight++
      most = Math.max(most, inFlight)
      await new Promise(resolve => setImmediate(resolve))
      inFlight--
      return value
    }
    signer.on(DescribeSigningJobCommand).callsFake(input => slow(described(input.jobId)))
    signer.on(RevokeSignatureCommand).callsFake(() => slow({}))
    const jobIds = Array.from({ length: 300 }, (_, i) => `job-${i}`)
    const record = await run(config({ jobIds }), 5)
    expect(record.jobs.filter(job => job.outcome === 'revoked')).toHaveLength(300)
    expect(JSON.parse(captured.outputs['revoked-job-ids'])).toEqual(jobIds)
    expect(most).toBe(5)
  })
})

describe('runRevoke dry run', () => {
  it('resolves the whole plan, makes no revoke call, and puts the plan in the outputs', async () => {
    signer.on(DescribeSigningJobCommand, { jobId: 'job-a' }).resolves(described('job-a'))
    signer
      .on(DescribeSigningJobCommand, { jobId: 'job-old' })
      .resolves(described('job-old', { revocationRecord: { revokedBy: 'sec' } }))
    signer
      .on(GetSigningProfileCommand)
      .resolves({ profileName: 'release_signing', profileVersion: 'Ver0000001', status: 'Active' })
    const record = await run(
      config({
        dryRun: true,
        jobIds: ['job-a', 'job-old'],
        profileRevocation: {
          profileName: 'release_signing',
          profileVersion: 'Ver0000001',
          effectiveTime: NOW
        }
      })
    )
    expect(signer).not.toHaveReceivedCommand(RevokeSignatureCommand)
    expect(signer).not.toHaveReceivedCommand(RevokeSigningProfileCommand)
    expect(signer).toHaveReceivedCommandWith(GetSigningProfileCommand, { profileName: 'release_signing' })
    expect(captured.outputs).toEqual({
      'revoked-job-ids': '[]',
      'skipped-job-ids': '["job-old"]',
      'failed-job-ids': '[]',
      'contradicted-job-ids': '[]',
      'planned-job-ids': '["job-a"]',
      'revoked-profile-version': '',
      'unresolved-job-ids': '[]',
      'record-path': expect.stringMatching(/signer-revocation-77-1-dry-run\.json$/)
    })
    expect(record.profile?.outcome).toBe('planned')
    expect(captured.log).toContain('Plan (dry run: no revoke call is made)')
    expect(captured.log).toContain('would revoke signing job job-a owned by 123456789012')
    expect(captured.log).toContain(
      'would revoke profile release_signing version Ver0000001 effective 2026-11-23T12:00:00.000Z'
    )
  })

  it('fails on jobs RevokeSignature would refuse (not Succeeded, or a platform without revocation), with the reason', async () => {
    signer
      .on(DescribeSigningJobCommand, { jobId: 'job-iot' })
      .resolves(described('job-iot', { platformId: 'AWSIoTDeviceManagement-SHA256-ECDSA' }))
    signer
      .on(DescribeSigningJobCommand, { jobId: 'job-failed' })
      .resolves(described('job-failed', { status: 'Failed', platformId: 'AWSLambda-SHA384-ECDSA' }))
    signer
      .on(DescribeSigningJobCommand, { jobId: 'job-ok' })
      .resolves(described('job-ok', { platformId: 'AWSLambda-SHA384-ECDSA' }))
    signer
      .on(GetSigningPlatformCommand, { platformId: 'AWSIoTDeviceManagement-SHA256-ECDSA' })
      .resolves({ displayName: 'AWS IoT Device Management SHA256-ECDSA ', revocationSupported: false })
    signer
      .on(GetSigningPlatformCommand, { platformId: 'AWSLambda-SHA384-ECDSA' })
      .resolves({ displayName: 'AWS Lambda', revocationSupported: true })

    await expect(run(config({ dryRun: true, jobIds: ['job-iot', 'job-failed', 'job-ok'] }))).rejects.toThrow(
      'Dry run: cannot revoke signing job(s) job-iot, job-failed.'
    )
    expect(signer).not.toHaveReceivedCommand(RevokeSignatureCommand)
    expect(signer).toHaveReceivedCommandTimes(GetSigningPlatformCommand, 2)
    expect(captured.outputs['planned-job-ids']).toBe('["job-ok"]')
    expect(captured.outputs['failed-job-ids']).toBe('["job-iot","job-failed"]')
    expect(captured.log).toContain(
      '::error::Signing job job-iot: signing platform AWS IoT Device Management SHA256-ECDSA ' +
        '(AWSIoTDeviceManagement-SHA256-ECDSA) does not support revocation (revocationSupported is false)'
    )
    expect(captured.log).toContain(
      '::error::Signing job job-failed: the job is Failed: only a Succeeded job has a signature to revoke'
    )
  })

  it('still revokes a job whose platform cannot be read, with a warning naming the call', async () => {
    signer
      .on(DescribeSigningJobCommand)
      .resolves(described('job-a', { platformId: 'AWSLambda-SHA384-ECDSA' }))
    signer
      .on(GetSigningPlatformCommand)
      .rejects(new ResourceNotFoundException({ message: 'no such platform', $metadata: {} }))
    signer.on(RevokeSignatureCommand).resolves({})
    await run(config({ jobIds: ['job-a'] }))
    expect(captured.outputs['revoked-job-ids']).toBe('["job-a"]')
    expect(captured.log).toContain(
      '::warning::Signing job job-a: could not tell whether platform AWSLambda-SHA384-ECDSA supports ' +
        'revocation (GetSigningPlatform: ResourceNotFoundException: no such platform); the revoke call decides'
    )
  })

  it('still fails on a job it cannot resolve, so the real run is not started on a bad plan', async () => {
    signer
      .on(DescribeSigningJobCommand)
      .rejects(new ResourceNotFoundException({ message: 'no such job', $metadata: {} }))
    await expect(run(config({ dryRun: true, jobIds: ['job-x'] }))).rejects.toThrow(
      'Dry run: cannot revoke signing job(s) job-x.'
    )
    expect(signer).not.toHaveReceivedCommand(RevokeSignatureCommand)
  })
})

describe('runRevoke of a profile version', () => {
  const profileRevocation = {
    profileName: 'release_signing',
    profileVersion: 'Ver0000001',
    effectiveTime: new Date('2026-11-20T08:30:00.250Z')
  }

  it('sends effective-time as that instant and says what it means', async () => {
    signer.on(GetSigningProfileCommand).resolves({ profileVersion: 'Ver0000001', status: 'Active' })
    signer.on(RevokeSigningProfileCommand).resolves({})
    const record = await run(config({ profileRevocation }))
    const input = signer.commandCalls(RevokeSigningProfileCommand)[0].args[0].input
    expect(input).toEqual({
      profileName: 'release_signing',
      profileVersion: 'Ver0000001',
      reason: REASON,
      effectiveTime: new Date('2026-11-20T08:30:00.250Z')
    })
    expect(input.effectiveTime).toBeInstanceOf(Date)
    expect(captured.outputs['revoked-profile-version']).toBe('Ver0000001')
    expect(record.profile?.outcome).toBe('revoked')
    expect(captured.log).toContain(
      'Revoked profile release_signing version Ver0000001 effective 2026-11-20T08:30:00.250Z: signatures made ' +
        'with profile release_signing version Ver0000001 after 2026-11-20T08:30:00.250Z are no longer trusted'
    )
  })

  it('revokes a revoked version again when effective-time is earlier than its recorded start', async () => {
    signer.on(GetSigningProfileCommand).resolves({
      profileVersion: 'Ver0000001',
      status: 'Revoked',
      revocationRecord: { revocationEffectiveFrom: new Date('2026-11-21T00:00:00Z') }
    })
    signer.on(RevokeSigningProfileCommand).resolves({})
    const record = await run(config({ profileRevocation }))
    expect(signer.commandCalls(RevokeSigningProfileCommand)[0].args[0].input.effectiveTime).toEqual(
      profileRevocation.effectiveTime
    )
    expect(captured.outputs['revoked-profile-version']).toBe('Ver0000001')
    expect(record.profile).toMatchObject({
      outcome: 'revoked',
      detail:
        'already revoked effective from 2026-11-21T00:00:00.000Z; revoking again moves the start earlier'
    })
  })

  it('skips a version that is already revoked', async () => {
    signer.on(GetSigningProfileCommand).resolves({
      profileVersion: 'Ver0000001',
      status: 'Revoked',
      revocationRecord: { revocationEffectiveFrom: new Date('2026-11-19T00:00:00Z') }
    })
    await run(config({ profileRevocation }))
    expect(signer).not.toHaveReceivedCommand(RevokeSigningProfileCommand)
    expect(captured.outputs['revoked-profile-version']).toBe('')
    expect(captured.log).toContain(
      '::notice::Profile release_signing version Ver0000001 skipped: already revoked effective from ' +
        '2026-11-19T00:00:00.000Z, earlier than effective-time 2026-11-20T08:30:00.250Z'
    )
  })

  it('fails naming the profile when the revocation is refused, after revoking the jobs', async () => {
    signer.on(GetSigningProfileCommand).resolves({ profileVersion: 'Ver0000001', status: 'Active' })
    signer
      .on(RevokeSigningProfileCommand)
      .rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }))
    signer.on(DescribeSigningJobCommand).resolves(described('job-a'))
    signer.on(RevokeSignatureCommand).resolves({})
    await expect(run(config({ profileRevocation, jobIds: ['job-a'] }))).rejects.toThrow(
      'Could not revoke profile release_signing version Ver0000001.'
    )
    expect(signer).toHaveReceivedCommandTimes(RevokeSignatureCommand, 1)
    expect(captured.log).toContain(
      '::error::Profile release_signing version Ver0000001: RevokeSigningProfile: TooManyRequestsException: Rate exceeded'
    )
  })
})

describe('runRevoke with a time window', () => {
  const jobSearch = {
    profileName: 'release_signing',
    signedAfter: new Date('2026-11-20T00:00:00Z'),
    signedBefore: new Date('2026-11-22T00:00:00Z')
  }
  const listed = (jobId: string, createdAt: string, profileName = 'release_signing') => ({
    jobId,
    jobOwner: OWNER,
    profileName,
    profileVersion: 'Ver0000001',
    status: 'Succeeded' as const,
    createdAt: new Date(createdAt)
  })

  it('revokes exactly the jobs of the profile in the window, across pages, plus the job ids given', async () => {
    signer.on(ListSigningJobsCommand, { status: 'InProgress' }).resolves({ jobs: [] })
    signer
      .on(ListSigningJobsCommand, { status: 'Succeeded' })
      .resolvesOnce({
        jobs: [listed('in-1', '2026-11-20T00:00:00Z'), listed('before', '2026-11-19T23:59:59Z')],
        nextToken: 'p2'
      })
      .resolvesOnce({
        jobs: [
          listed('other', '2026-11-21T00:00:00Z', 'other_profile'),
          listed('end', '2026-11-22T00:00:00Z')
        ],
        nextToken: 'p3'
      })
      .resolvesOnce({ jobs: [listed('in-2', '2026-11-21T23:00:00Z')] })
    signer.on(DescribeSigningJobCommand).callsFake(input => described(input.jobId))
    signer.on(RevokeSignatureCommand).resolves({})
    const record = await run(config({ jobSearch, jobIds: ['given'] }))

    expect(signer).toHaveReceivedCommandTimes(ListSigningJobsCommand, 4)
    expect(signer.commandCalls(RevokeSignatureCommand).map(call => call.args[0].input.jobId)).toEqual([
      'given',
      'in-1',
      'in-2'
    ])
    expect(record.jobs.map(job => [job.jobId, job.source])).toEqual([
      ['given', 'job-id'],
      ['in-1', 'search'],
      ['in-2', 'search']
    ])
    expect(record.search).toMatchObject({ pages: 4, listed: 5, matched: 2 })
    expect(captured.log).toContain('2 job(s) found among 5 listed in 4 page(s)')
    expect(captured.log).not.toContain('::warning::')
  })

  it('filters the listing on the platform of the profile it revokes, and reads each platform once', async () => {
    signer.on(GetSigningProfileCommand).resolves({
      profileVersion: 'Ver0000001',
      status: 'Active',
      platformId: 'AWSLambda-SHA384-ECDSA'
    })
    signer.on(RevokeSigningProfileCommand).resolves({})
    const lambda = { platformId: 'AWSLambda-SHA384-ECDSA' }
    signer.on(ListSigningJobsCommand, { status: 'InProgress' }).resolves({
      jobs: [{ ...listed('running', '2026-11-21T00:00:00Z'), ...lambda, status: 'InProgress' }]
    })
    signer.on(ListSigningJobsCommand, { status: 'Succeeded' }).resolves({
      jobs: ['s-1', 's-2', 's-3'].map(id => ({ ...listed(id, '2026-11-21T00:00:00Z'), ...lambda }))
    })
    signer.on(GetSigningPlatformCommand).resolves({ ...lambda, revocationSupported: true })
    signer.on(RevokeSignatureCommand).resolves({})
    const profileRevocation = {
      profileName: 'release_signing',
      profileVersion: 'Ver0000001',
      effectiveTime: new Date('2026-11-20T00:00:00Z')
    }
    await expect(run(config({ jobSearch, profileRevocation }))).rejects.toThrow(
      'Could not revoke signing job(s) running.'
    )

    expect(signer.commandCalls(ListSigningJobsCommand).map(call => call.args[0].input)).toEqual([
      { status: 'InProgress', platformId: 'AWSLambda-SHA384-ECDSA', maxResults: 25 },
      { status: 'Succeeded', platformId: 'AWSLambda-SHA384-ECDSA', maxResults: 25 }
    ])
    expect(signer.commandCalls(GetSigningPlatformCommand).map(call => call.args[0].input)).toEqual([
      { platformId: 'AWSLambda-SHA384-ECDSA' }
    ])
    expect(signer.commandCalls(RevokeSignatureCommand).map(call => call.args[0].input.jobId)).toEqual([
      's-1',
      's-2',
      's-3'
    ])
    expect(captured.outputs['failed-job-ids']).toBe('["running"]')
    expect(captured.log).toContain(
      '::error::Signing job running: the job is InProgress: only a Succeeded job has a signature to revoke; ' +
        'run again once it has finished'
    )
  })

  it('warns when the window reaches back more than two years, where ListSigningJobs no longer lists jobs', async () => {
    signer.on(ListSigningJobsCommand).resolves({ jobs: [] })
    await run(config({ jobSearch: { profileName: 'release_signing', signedBefore: NOW } }))
    expect(captured.log).toContain(
      '::warning::The time window reaches back before 2024-11-23T12:00:00.000Z: ListSigningJobs shows signing ' +
        'jobs for two years only, so older jobs of profile release_signing cannot be found by this search'
    )
    captured.log = ''
    await run(
      config({ jobSearch: { profileName: 'release_signing', signedAfter: new Date('2024-11-23T12:00:00Z') } })
    )
    expect(captured.log).not.toContain('::warning::')
  })

  it('still revokes the job ids when the search fails, then fails naming the search', async () => {
    signer.on(ListSigningJobsCommand).rejects(new Error('socket hang up'))
    signer.on(DescribeSigningJobCommand).resolves(described('given'))
    signer.on(RevokeSignatureCommand).resolves({})
    await expect(run(config({ jobSearch, jobIds: ['given'] }))).rejects.toThrow(
      'The time-window search failed: the jobs it would find are not revoked.'
    )
    expect(signer).toHaveReceivedCommandWith(RevokeSignatureCommand, { jobId: 'given' })
    expect(captured.log).toContain(
      '::error::Time-window search: ListSigningJobs failed after 0 page(s): socket hang up'
    )
  })
})

describe('runRevoke summary', () => {
  it('writes the incident record when show-summary is on', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'summary-')), 'summary.md')
    fs.writeFileSync(file, '')
    process.env.GITHUB_STEP_SUMMARY = file
    try {
      signer.on(DescribeSigningJobCommand).resolves(described('job-a'))
      signer.on(RevokeSignatureCommand).resolves({})
      await run(config({ jobIds: ['job-a'], showSummary: true }))
    } finally {
      delete process.env.GITHUB_STEP_SUMMARY
    }
    const summary = fs.readFileSync(file, 'utf8')
    expect(summary).toContain(`Reason: ${REASON}`)
    expect(summary).toContain('Run by: <code>octo-sec</code>')
    expect(summary).toContain('<td><code>job-a</code></td>')
  })

  it('writes nothing when show-summary is off', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'summary-')), 'summary.md')
    fs.writeFileSync(file, '')
    process.env.GITHUB_STEP_SUMMARY = file
    try {
      signer.on(DescribeSigningJobCommand).resolves(described('job-a'))
      signer.on(RevokeSignatureCommand).resolves({})
      await run(config({ jobIds: ['job-a'] }))
    } finally {
      delete process.env.GITHUB_STEP_SUMMARY
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('')
    expect(signer).toHaveReceivedCommandTimes(RevokeSignatureCommand, 1)
  })
})
