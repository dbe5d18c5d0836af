import {
  AccessDeniedException,
  ListSigningJobsCommand,
  ListSigningJobsCommandInput,
  SignerClient,
  SigningJob
} from '@aws-sdk/client-signer'
import { mockClient } from 'aws-sdk-client-mock'
import { JobSearch, LIST_PAGE_SIZE, matchesSearch, searchJobs } from '../../src/revoke/search'

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

describe('searchJobs', () => {
  const signer = mockClient(SignerClient)
  const client = new SignerClient({ region: 'us-east-1' })
  let calls: ListSigningJobsCommandInput[]

  beforeEach(() => {
    signer.reset()
    calls = []
  })

  function pages(...contents: { jobs: SigningJob[]; nextToken?: string }[]): void {
    // The paginator reuses one input object across pages: copy it as each call is made.
    signer.on(ListSigningJobsCommand).callsFake((input: ListSigningJobsCommandInput) => {
      calls.push({ ...input })
      const page = contents[calls.length - 1]
      if (!page) throw new Error(`unexpected page ${calls.length}`)
      return page
    })
  }

  it('walks every page with the largest page size and keeps only the matching jobs', async () => {
    pages(
      { jobs: [job('j1', '2026-11-21T00:00:00Z'), job('old', '2026-11-01T00:00:00Z')], nextToken: 't1' },
      { jobs: [job('x', '2026-11-21T00:00:00Z', { profileName: 'other_profile' })], nextToken: 't2' },
      { jobs: [job('j2', '2026-11-22T00:00:00Z'), job('j1', '2026-11-21T00:00:00Z')] }
    )
    const result = await searchJobs(client, SEARCH)
    expect(result.jobs.map(j => j.jobId)).toEqual(['j1', 'j2'])
    expect(calls).toEqual([
      { maxResults: LIST_PAGE_SIZE, nextToken: undefined },
      { maxResults: LIST_PAGE_SIZE, nextToken: 't1' },
      { maxResults: LIST_PAGE_SIZE, nextToken: 't2' }
    ])
    expect(LIST_PAGE_SIZE).toBe(25)
    expect(result.report).toEqual({ ...SEARCH, pages: 3, listed: 5, matched: 2 })
  })

  it('uses the page size it is given', async () => {
    pages({ jobs: [] })
    await searchJobs(client, SEARCH, 3)
    expect(calls).toEqual([{ maxResults: 3, nextToken: undefined }])
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
