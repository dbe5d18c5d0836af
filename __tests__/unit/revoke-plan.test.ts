import {
  buildTargets,
  describeRevocation,
  planJob,
  planLines,
  planProfile,
  profileMeaning,
  profileResultFromPlan,
  resultFromPlan,
  searchLine
} from '../../src/revoke/plan'
import { JobState, PlatformState, ProfileState, ProfileTarget, SearchReport } from '../../src/revoke/types'

const OWNER = '123456789012'
const FOUND: JobState = {
  kind: 'found',
  jobOwner: '210987654321',
  status: 'Succeeded',
  profileName: 'release_signing',
  profileVersion: 'Ver0000001',
  createdAt: new Date('2026-11-21T10:00:00Z')
}
const IOT = 'AWSIoTDeviceManagement-SHA256-ECDSA'
// AWS's display name, trailing space included.
const IOT_PLATFORM: PlatformState = {
  kind: 'found',
  platformId: IOT,
  displayName: 'AWS IoT Device Management SHA256-ECDSA ',
  revocationSupported: false
}
const LAMBDA_PLATFORM: PlatformState = {
  kind: 'found',
  platformId: 'AWSLambda-SHA384-ECDSA',
  displayName: 'AWS Lambda',
  revocationSupported: true
}
const PROFILE: ProfileTarget = {
  profileName: 'release_signing',
  profileVersion: 'Ver0000001',
  effectiveTime: new Date('2026-11-20T08:30:00Z')
}

describe('buildTargets', () => {
  it('puts the job-id input first, then the jobs found, each once, keeping the input owner', () => {
    const targets = buildTargets({ jobIds: ['a', 'b'], jobOwner: OWNER }, [
      { jobId: 'c', jobOwner: '210987654321' },
      { jobId: 'a', jobOwner: '210987654321' },
      { jobId: 'c' },
      { jobId: undefined },
      { jobId: 'd' }
    ])
    expect(targets).toEqual([
      { jobId: 'a', source: 'job-id', jobOwner: OWNER },
      { jobId: 'b', source: 'job-id', jobOwner: OWNER },
      {
        jobId: 'c',
        source: 'search',
        jobOwner: '210987654321',
        listed: { kind: 'found', jobOwner: '210987654321', revocation: undefined }
      },
      { jobId: 'd', source: 'search', listed: { kind: 'found', revocation: undefined } }
    ])
  })

  it('keeps what the listing said of a found job, revoked or not', () => {
    const created = new Date('2026-11-20T10:00:00Z')
    const [revoked, live] = buildTargets({ jobIds: [] }, [
      {
        jobId: 'r',
        status: 'Succeeded',
        isRevoked: true,
        profileName: 'p1',
        profileVersion: 'V',
        createdAt: created
      },
      { jobId: 'l', status: 'Succeeded', isRevoked: false }
    ])
    expect(revoked.listed).toEqual({
      kind: 'found',
      status: 'Succeeded',
      profileName: 'p1',
      profileVersion: 'V',
      createdAt: created,
      jobOwner: undefined,
      revocation: {}
    })
    expect(planJob(revoked, revoked.listed!)).toMatchObject({ action: 'skip', detail: 'already revoked' })
    expect(planJob(live, live.listed!)).toMatchObject({ action: 'revoke' })
  })

  it('leaves the owner out when job-owner is not given', () => {
    expect(buildTargets({ jobIds: ['a'] }, [])).toEqual([{ jobId: 'a', source: 'job-id' }])
  })
})

describe('planJob', () => {
  it('revokes a job that is not revoked, with the input owner before the described one', () => {
    expect(planJob({ jobId: 'a', source: 'job-id', jobOwner: OWNER }, FOUND)).toEqual({
      target: { jobId: 'a', source: 'job-id', jobOwner: OWNER },
      state: FOUND,
      action: 'revoke',
      jobOwner: OWNER
    })
    expect(planJob({ jobId: 'a', source: 'job-id' }, FOUND).jobOwner).toBe('210987654321')
    const ownerless = planJob({ jobId: 'a', source: 'job-id' }, { kind: 'found' })
    expect(ownerless).toEqual({
      target: { jobId: 'a', source: 'job-id' },
      state: { kind: 'found' },
      action: 'revoke'
    })
  })

  it('skips an already revoked job, saying who revoked it, when and why', () => {
    const revoked: JobState = {
      ...FOUND,
      revocation: {
        reason: 'leaked key',
        revokedAt: new Date('2026-11-22T00:00:00Z'),
        revokedBy: 'arn:aws:iam::1:user/sec'
      }
    }
    const plan = planJob({ jobId: 'a', source: 'search' }, revoked)
    expect(plan.action).toBe('skip')
    expect(plan.detail).toBe(
      'already revoked at 2026-11-22T00:00:00.000Z by arn:aws:iam::1:user/sec: leaked key'
    )
    expect(describeRevocation({})).toBe('already revoked')
  })

  it('fails a job that could not be described, carrying the error', () => {
    const plan = planJob(
      { jobId: 'nope', source: 'job-id' },
      { kind: 'error', error: 'ResourceNotFoundException: no job' }
    )
    expect(plan).toMatchObject({
      action: 'fail',
      detail: 'DescribeSigningJob: ResourceNotFoundException: no job'
    })
    expect(resultFromPlan(plan)).toEqual({
      jobId: 'nope',
      source: 'job-id',
      outcome: 'failed',
      detail: 'DescribeSigningJob: ResourceNotFoundException: no job'
    })
  })

  it.each([
    [
      'InProgress',
      'the job is InProgress: only a Succeeded job has a signature to revoke; run again once it has finished'
    ],
    ['Failed', 'the job is Failed: only a Succeeded job has a signature to revoke']
  ])('fails a job that is %s, with the reason, in the plan', (status, detail) => {
    const plan = planJob({ jobId: 'a', source: 'job-id' }, { ...FOUND, status }, LAMBDA_PLATFORM)
    expect(plan).toMatchObject({ action: 'fail', detail })
    expect(resultFromPlan(plan)).toMatchObject({ outcome: 'failed', detail })
  })

  it('fails a job on a platform without revocationSupported, and revokes one on a platform with it', () => {
    const iotJob: JobState = { ...FOUND, platformId: IOT }
    expect(planJob({ jobId: 'a', source: 'search' }, iotJob, IOT_PLATFORM)).toMatchObject({
      action: 'fail',
      detail:
        'signing platform AWS IoT Device Management SHA256-ECDSA (AWSIoTDeviceManagement-SHA256-ECDSA) does ' +
        'not support revocation (revocationSupported is false)'
    })
    expect(planJob({ jobId: 'a', source: 'search' }, FOUND, LAMBDA_PLATFORM).action).toBe('revoke')
    // A platform that does not say leaves the decision to RevokeSignature.
    const silent: PlatformState = { kind: 'found', platformId: 'Other' }
    expect(planJob({ jobId: 'a', source: 'search' }, FOUND, silent)).not.toHaveProperty('warning')
    expect(planJob({ jobId: 'a', source: 'search' }, FOUND, silent).action).toBe('revoke')
  })

  it('still revokes a job whose platform could not be read, with a warning: the revoke call decides', () => {
    const plan = planJob({ jobId: 'a', source: 'job-id' }, FOUND, {
      kind: 'error',
      platformId: 'AWSLambda-SHA384-ECDSA',
      error: 'AccessDeniedException: not allowed'
    })
    expect(plan.action).toBe('revoke')
    expect(plan.warning).toBe(
      'could not tell whether platform AWSLambda-SHA384-ECDSA supports revocation ' +
        '(GetSigningPlatform: AccessDeniedException: not allowed); the revoke call decides'
    )
  })

  it('skips an already revoked job before looking at its platform', () => {
    const revoked: JobState = { ...FOUND, platformId: IOT, revocation: {} }
    expect(planJob({ jobId: 'a', source: 'job-id' }, revoked, IOT_PLATFORM).action).toBe('skip')
  })

  it('turns a plan into the result row of a dry run with the job facts', () => {
    const plan = planJob({ jobId: 'a', source: 'job-id' }, FOUND)
    expect(resultFromPlan(plan)).toEqual({
      jobId: 'a',
      source: 'job-id',
      outcome: 'planned',
      profileName: 'release_signing',
      profileVersion: 'Ver0000001',
      createdAt: FOUND.kind === 'found' ? FOUND.createdAt : undefined
    })
  })
})

describe('planProfile', () => {
  it('revokes an Active profile', () => {
    const plan = planProfile(PROFILE, { kind: 'found', status: 'Active', profileVersion: 'Ver0000001' })
    expect(plan.action).toBe('revoke')
  })

  it('skips the version when it is already revoked from the same or an earlier time, and leaves another version to the API', () => {
    const revokedFrom = (from: string) =>
      planProfile(PROFILE, {
        kind: 'found',
        status: 'Revoked',
        profileVersion: 'Ver0000001',
        revocationEffectiveFrom: new Date(from)
      })
    expect(revokedFrom('2026-11-19T00:00:00Z')).toMatchObject({
      action: 'skip',
      detail:
        'already revoked effective from 2026-11-19T00:00:00.000Z, earlier than effective-time ' +
        '2026-11-20T08:30:00.000Z (a revocation can be moved earlier, never later)'
    })
    expect(revokedFrom('2026-11-20T08:30:00Z')).toMatchObject({
      action: 'skip',
      detail: 'already revoked effective from 2026-11-20T08:30:00.000Z'
    })
    const other = planProfile(PROFILE, { kind: 'found', status: 'Revoked', profileVersion: 'Ver0000002' })
    expect(other.action).toBe('revoke')
  })

  it('revokes a revoked version again when effective-time is earlier than the recorded start', () => {
    const plan = planProfile(PROFILE, {
      kind: 'found',
      status: 'Revoked',
      profileVersion: 'Ver0000001',
      revocationEffectiveFrom: new Date('2026-11-20T08:30:00.001Z')
    })
    expect(plan).toMatchObject({
      action: 'revoke',
      detail:
        'already revoked effective from 2026-11-20T08:30:00.001Z; revoking again moves the start earlier'
    })
    expect(planLines([], plan, undefined, true)[0]).toBe(
      'would revoke profile release_signing version Ver0000001 effective 2026-11-20T08:30:00.000Z ' +
        '(already revoked effective from 2026-11-20T08:30:00.001Z; revoking again moves the start earlier): ' +
        profileMeaning(PROFILE)
    )
  })

  it('gives the result of a profile plan no call was made for: planned, already revoked or failed', () => {
    const earlier = planProfile(PROFILE, {
      kind: 'found',
      status: 'Revoked',
      profileVersion: 'Ver0000001',
      revocationEffectiveFrom: new Date('2026-11-20T08:30:00.001Z')
    })
    expect(profileResultFromPlan(earlier)).toEqual({
      target: PROFILE,
      outcome: 'planned',
      detail: earlier.detail
    })
    const active = planProfile(PROFILE, { kind: 'found', status: 'Active', profileVersion: 'Ver0000001' })
    expect(profileResultFromPlan(active)).toEqual({ target: PROFILE, outcome: 'planned' })
    const same = planProfile(PROFILE, {
      kind: 'found',
      status: 'Revoked',
      profileVersion: 'Ver0000001',
      revocationEffectiveFrom: PROFILE.effectiveTime
    })
    expect(profileResultFromPlan(same)).toEqual({
      target: PROFILE,
      outcome: 'already-revoked',
      detail: 'already revoked effective from 2026-11-20T08:30:00.000Z'
    })
    const unread = planProfile(PROFILE, { kind: 'error', error: 'AccessDeniedException' })
    expect(profileResultFromPlan(unread)).toEqual({
      target: PROFILE,
      outcome: 'failed',
      detail: 'GetSigningProfile: AccessDeniedException'
    })
  })

  it('fails a profile on a platform without revocation, and warns when the platform could not be read', () => {
    const active: ProfileState = { kind: 'found', status: 'Active', platformId: IOT }
    expect(planProfile(PROFILE, active, IOT_PLATFORM)).toMatchObject({
      action: 'fail',
      detail:
        'signing platform AWS IoT Device Management SHA256-ECDSA (AWSIoTDeviceManagement-SHA256-ECDSA) does ' +
        'not support revocation (revocationSupported is false)'
    })
    const unknown = planProfile(PROFILE, active, {
      kind: 'error',
      platformId: IOT,
      error: 'AccessDeniedException'
    })
    expect(unknown.action).toBe('revoke')
    expect(unknown.warning).toBe(
      'could not tell whether platform AWSIoTDeviceManagement-SHA256-ECDSA supports revocation ' +
        '(GetSigningPlatform: AccessDeniedException); the revoke call decides'
    )
  })

  it('fails when the profile cannot be read', () => {
    const plan = planProfile(PROFILE, { kind: 'error', error: 'ResourceNotFoundException: no profile' })
    expect(plan).toMatchObject({
      action: 'fail',
      detail: 'GetSigningProfile: ResourceNotFoundException: no profile'
    })
  })
})

describe('what the plan says', () => {
  it('says plainly what a profile revocation means', () => {
    expect(profileMeaning(PROFILE)).toBe(
      'signatures made with profile release_signing version Ver0000001 after 2026-11-20T08:30:00.000Z are no ' +
        'longer trusted; signatures made before that instant stay valid unless their jobs are revoked'
    )
  })

  it('lists every target with what happens to it, in dry-run words when dry', () => {
    const search: SearchReport = {
      profileName: 'release_signing',
      signedAfter: new Date('2026-11-20T00:00:00Z'),
      pages: 3,
      listed: 60,
      matched: 2
    }
    const jobs = [
      planJob({ jobId: 'a', source: 'job-id', jobOwner: OWNER }, FOUND),
      planJob({ jobId: 'b', source: 'search' }, { ...FOUND, revocation: { revokedBy: 'sec' } }),
      planJob({ jobId: 'c', source: 'job-id' }, { kind: 'error', error: 'ResourceNotFoundException: gone' })
    ]
    const profile = planProfile(PROFILE, { kind: 'found', status: 'Active' })
    expect(planLines(jobs, profile, search, true)).toEqual([
      'jobs of profile release_signing created in [2026-11-20T00:00:00.000Z, now): 2 job(s) found among 60 listed in 3 page(s)',
      `would revoke profile release_signing version Ver0000001 effective 2026-11-20T08:30:00.000Z: ${profileMeaning(PROFILE)}`,
      `would revoke signing job a owned by ${OWNER}`,
      'skip signing job b (found by the search): already revoked by sec',
      'cannot revoke signing job c: DescribeSigningJob: ResourceNotFoundException: gone',
      '3 signing job(s): 1 to revoke, 1 already revoked, 1 that cannot be revoked'
    ])
    expect(planLines(jobs.slice(0, 1), undefined, undefined, false)[0]).toBe(
      `revoke signing job a owned by ${OWNER}`
    )
  })

  it('says when the window reaches back beyond what ListSigningJobs lists', () => {
    expect(
      searchLine({
        profileName: 'p1',
        signedBefore: new Date('2026-11-21T00:00:00Z'),
        listedSince: new Date('2024-11-23T12:00:00Z'),
        pages: 2,
        listed: 30,
        matched: 4
      })
    ).toBe(
      'jobs of profile p1 created in [the beginning, 2026-11-21T00:00:00.000Z): 4 job(s) found among 30 listed ' +
        'in 2 page(s); jobs created before 2024-11-23T12:00:00.000Z are no longer listed by ListSigningJobs and ' +
        'cannot be found'
    )
  })

  it('describes a search that failed and a closed window', () => {
    expect(
      searchLine({
        profileName: 'p1',
        profileVersion: 'Ver0000001',
        signedAfter: new Date('2026-11-20T00:00:00Z'),
        signedBefore: new Date('2026-11-21T00:00:00Z'),
        pages: 1,
        listed: 25,
        matched: 0,
        error: 'ListSigningJobs failed after 1 page(s): boom'
      })
    ).toBe(
      'jobs of profile p1 version Ver0000001 created in [2026-11-20T00:00:00.000Z, 2026-11-21T00:00:00.000Z): ' +
        'the search failed: ListSigningJobs failed after 1 page(s): boom'
    )
  })
})
