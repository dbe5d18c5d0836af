import {
  AccessDeniedException,
  ListSigningJobsCommand,
  ListSigningJobsCommandInput,
  SignerClient,
  SigningJob
} from '@aws-sdk/client-signer'
import { mockClient } from 'aws-sdk-client-mock'
import {
  JobSearch,
  LISTED_STATUSES,
  LIST_PAGE_SIZE,
  listingHorizon,
  matchesSearch,
  searchJobs
} from '../../src/revoke/search'

const NOW = new Date('2026-11-23T12:00:00Z')
const AFTER = new Date('2026-11-20T00:00:00Z')
const BEFORE = new Date('2026-11-23T00:00:00Z')
const SEARCH: JobSearch = { profileName: 'release_signing', signedAfter: AFTER, signedBefore: BEFORE }

function job(jobId: string, createdAt: string | undefined, extra: Partial<SigningJob> = {}): SigningJob {
  return {
    jobId,
    profileName: 'release_signing',
    profileVersion: 'Ver0000001',
    status: 'Succeeded',
    jobOwner: '123456789012',
    createdAt: createdAt === undefined ? undefined : new Date(createdAt),
    ...extra
  }
}

describe('matchesSearch', () => {
  it('keeps jobs created in [signed-after, signed-before): the start is in, the end is out', () => {
    expect(matchesSearch(job('a', '2026-11-20T00:00:00Z'), SEARCH)).toBe(true)
    expect(matchesSearch(job('b', '2026-11-22T23:59:59.999Z'), SEARCH)).toBe(true)
    expect(matchesSearch(job('c', '2026-11-23T00:00:00Z'), SEARCH)).toBe(false)
    expect(matchesSearch(job('d', '2026-11-19T23:59:59.999Z'), SEARCH)).toBe(false)
  })

  it('leaves a side of the window open when it is not given', () => {
    const onlyAfter: JobSearch = { profileName: 'release_signing', signedAfter: AFTER }
    expect(matchesSearch(job('a', '2030-01-01T00:00:00Z'), onlyAfter)).toBe(true)
    expect(matchesSearch(job('b', '2026-11-19T00:00:00Z'), onlyAfter)).toBe(false)
    const onlyBefore: JobSearch = { profileName: 'release_signing', signedBefore: BEFORE }
    expect(matchesSearch(job('c', '2001-01-01T00:00:00Z'), onlyBefore)).toBe(true)
    expect(matchesSearch(job('d', '2026-11-24T00:00:00Z'), onlyBefore)).toBe(false)
  })

  it('filters on the profile name, and on the version only when one is given', () => {
    const inside = '2026-11-21T00:00:00Z'
    expect(matchesSearch(job('a', inside, { profileName: 'other_profile' }), SEARCH)).toBe(false)
    expect(matchesSearch(job('b', inside, { profileVersion: 'Ver0000002' }), SEARCH)).toBe(true)
    const versioned = { ...SEARCH, profileVersion: 'Ver0000001' }
    expect(matchesSearch(job('c', inside), versioned)).toBe(true)
    expect(matchesSearch(job('d', inside, { profileVersion: 'Ver0000002' }), versioned)).toBe(false)
  })

  it('drops jobs that signed nothing (Failed) and jobs without a creation time', () => {
    expect(matchesSearch(job('a', '2026-11-21T00:00:00Z', { status: 'Failed' }), SEARCH)).toBe(false)
    expect(matchesSearch(job('b', '2026-11-21T00:00:00Z', { status: 'InProgress' }), SEARCH)).toBe(true)
    expect(matchesSearch(job('c', undefined), SEARCH)).toBe(false)
  })
})

describe('listingHorizon', () => {
  it('is two calendar years before now when the window starts earlier or has no start', () => {
    const twoYearsAgo = new Date('2024-11-23T12:00:00Z')
    expect(listingHorizon({ profileName: 'p1' }, NOW)).toEqual(twoYearsAgo)
    expect(listingHorizon({ profileName: 'p1', signedBefore: BEFORE }, NOW)).toEqual(twoYearsAgo)
    expect(
      listingHorizon({ profileName: 'p1', signedAfter: new Date('2024-11-23T11:59:59.999Z') }, NOW)
    ).toEqual(twoYearsAgo)
    expect(listingHorizon({ profileName: 'p1', signedAfter: twoYearsAgo }, NOW)).toBeUndefined()
    expect(listingHorizon(SEARCH, NOW)).toBeUndefined()
  })

  it('counts calendar years across a leap day', () => {
    expect(listingHorizon({ profileName: 'p1' }, new Date('2028-02-29T00:00:00Z'))).toEqual(
      new Date('2026-03-01T00:00:00Z')
    )
  })
})

describe('searchJobs', () => {
  const signer = mockClient(SignerClient)
  const client = new SignerClient({ region: 'us-east-1' })
  let calls: ListSigningJobsCommandInput[]

  beforeEach(() => {
    signer.reset()
    calls = []
  })

  /** One listing per status, each its own pages; the exact input of every call is recorded. */
  function listings(byStatus: Record<string, { jobs: SigningJob[]; nextToken?: string }[]>): void {
    // The paginator reuses one input object across pages: copy it as each call is made.
    signer.on(ListSigningJobsCommand).callsFake((input: ListSigningJobsCommandInput) => {
      calls.push({ ...input })
      const pagesOfStatus = byStatus[input.status ?? '']
      const index = calls.filter(call => call.status === input.status).length - 1
      const page = pagesOfStatus?.[index]
      if (!page) throw new Error(`unexpected page ${index} of status ${input.status}`)
      return page
    })
  }

  it('lists InProgress then Succeeded jobs with the API status filter, every page, largest page size', async () => {
    listings({
      InProgress: [{ jobs: [job('run', '2026-11-22T00:00:00Z', { status: 'InProgress' })] }],
      Succeeded: [
        { jobs: [job('j1', '2026-11-21T00:00:00Z'), job('old', '2026-11-01T00:00:00Z')], nextToken: 't1' },
        { jobs: [job('x', '2026-11-21T00:00:00Z', { profileName: 'other_profile' })], nextToken: 't2' },
        { jobs: [job('j2', '2026-11-22T00:00:00Z'), job('j1', '2026-11-21T00:00:00Z')] }
      ]
    })
    const result = await searchJobs(client, SEARCH, { now: NOW })
    // Succeeded jobs first, in listing order, each once; then those still in progress.
    expect(result.jobs.map(j => j.jobId)).toEqual(['j1', 'j2', 'run'])
    expect(calls).toEqual([
      { status: 'InProgress', maxResults: LIST_PAGE_SIZE, nextToken: undefined },
      { status: 'Succeeded', maxResults: LIST_PAGE_SIZE, nextToken: undefined },
      { status: 'Succeeded', maxResults: LIST_PAGE_SIZE, nextToken: 't1' },
      { status: 'Succeeded', maxResults: LIST_PAGE_SIZE, nextToken: 't2' }
    ])
    expect(LIST_PAGE_SIZE).toBe(25)
    expect(LISTED_STATUSES).toEqual(['InProgress', 'Succeeded'])
    expect(result.report).toEqual({ ...SEARCH, pages: 4, listed: 6, matched: 3 })
  })

  it('keeps the Succeeded entry of a job that finished between the two listings', async () => {
    listings({
      InProgress: [{ jobs: [job('j1', '2026-11-21T00:00:00Z', { status: 'InProgress' })] }],
      Succeeded: [{ jobs: [job('j1', '2026-11-21T00:00:00Z')] }]
    })
    const result = await searchJobs(client, SEARCH, { now: NOW })
    expect(result.jobs).toEqual([job('j1', '2026-11-21T00:00:00Z')])
  })

  it('passes the platform filter when the platform is known, and the page size it is given', async () => {
    listings({ InProgress: [{ jobs: [] }], Succeeded: [{ jobs: [] }] })
    const result = await searchJobs(client, SEARCH, {
      pageSize: 3,
      platformId: 'AWSLambda-SHA384-ECDSA',
      now: NOW
    })
    expect(calls).toEqual([
      { status: 'InProgress', platformId: 'AWSLambda-SHA384-ECDSA', maxResults: 3, nextToken: undefined },
      { status: 'Succeeded', platformId: 'AWSLambda-SHA384-ECDSA', maxResults: 3, nextToken: undefined }
    ])
    expect(result.report.platformId).toBe('AWSLambda-SHA384-ECDSA')
  })

  it('reports how far back the listing reaches when the window starts more than two years ago', async () => {
    listings({ InProgress: [{ jobs: [] }], Succeeded: [{ jobs: [] }] })
    const open = await searchJobs(
      client,
      { profileName: 'release_signing', signedBefore: BEFORE },
      { now: NOW }
    )
    expect(open.report.listedSince).toEqual(new Date('2024-11-23T12:00:00Z'))
  })

  it('reports a listing that fails mid-way instead of throwing, keeping what it found', async () => {
    signer
      .on(ListSigningJobsCommand)
      .resolvesOnce({ jobs: [job('j1', '2026-11-21T00:00:00Z')], nextToken: 't1' })
      .rejectsOnce(
        new AccessDeniedException({ message: 'not allowed: signer:ListSigningJobs', $metadata: {} })
      )
    const result = await searchJobs(client, SEARCH)
    expect(result.jobs.map(j => j.jobId)).toEqual(['j1'])
    expect(result.report.error).toBe(
      'ListSigningJobs failed after 1 page(s): AccessDeniedException: not allowed: signer:ListSigningJobs'
    )
  })
})
