import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  S3Client
} from '@aws-sdk/client-s3'
import { DescribeSigningJobCommand, SignerClient, SigningJob } from '@aws-sdk/client-signer'
import { mockClient } from 'aws-sdk-client-mock'
import { ProvenanceSearch } from '../../src/config'
import { StoredRecord } from '../../src/provenance/types'
import { approvalMessage, compareWithApproved } from '../../src/revoke/approval'
import {
  findByProvenance,
  matchesFilters,
  matchesProfile,
  mergeTargets,
  parseRecord,
  provenanceLine,
  placeWindow,
  provenanceWarnings
} from '../../src/revoke/provenance'
import { JobPlan } from '../../src/revoke/types'

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'

function record(jobId: string, extra: Partial<StoredRecord> = {}): StoredRecord {
  return {
    schemaVersion: 1,
    repository: 'Acme/Firmware',
    commit: SHA,
    artifactPaths: ['a.zip'],
    sha256: 'aa'.repeat(32),
    signedSha256: 'bb'.repeat(32),
    jobId,
    jobOwner: '123456789012',
    status: 'Succeeded',
    jobCreatedAt: '2026-11-23T10:00:00.000Z',
    profileName: 'release_signing',
    profileOwner: null,
    profileVersion: 'Ver0000001',
    profileVersionArn: null,
    platformId: 'AWSLambda-SHA384-ECDSA',
    signatureExpiresAt: null,
    source: { bucket: 'b', key: 'k', versionId: 'v' },
    signed: { bucket: 'b', key: `signed/${jobId}` },
    run: { ref: 'refs/heads/main', workflow: 'release', runId: '77', runAttempt: '1', actor: 'bot' },
    ...extra
  }
}

const listed = (jobId: string): SigningJob => ({
  jobId,
  jobOwner: '123456789012',
  status: 'Succeeded',
  profileName: 'release_signing',
  profileVersion: 'Ver0000001',
  source: { s3: { bucketName: 'b', key: 'k', version: 'v' } },
  createdAt: new Date('2026-11-23T10:00:00Z')
})

describe('matching records', () => {
  it('holds every filter given: repository in any case, a commit prefix, the run', () => {
    expect(matchesFilters(record('j'), {})).toBe(true)
    expect(matchesFilters(record('j'), { repository: 'acme/firmware', commit: 'a1b2c3d', runId: '77' })).toBe(
      true
    )
    expect(matchesFilters(record('j'), { repository: 'acme/other' })).toBe(false)
    expect(matchesFilters(record('j'), { commit: 'a1b2c3e' })).toBe(false)
    expect(matchesFilters(record('j'), { commit: SHA })).toBe(true)
    expect(matchesFilters(record('j'), { runId: '78' })).toBe(false)
  })

  it('keeps the profile (and version) searched, and leaves out jobs that failed', () => {
    const search = { profileName: 'release_signing' }
    expect(matchesProfile(record('j'), search)).toBe(true)
    expect(matchesProfile(record('j'), { ...search, profileVersion: 'Ver0000002' })).toBe(false)
    expect(matchesProfile(record('j', { profileName: 'other' }), search)).toBe(false)
    expect(matchesProfile(record('j', { status: 'Failed' }), search)).toBe(false)
  })

  it('parses a record and rejects what is not one', () => {
    expect(parseRecord(JSON.stringify(record('j')))).toEqual(record('j'))
    expect(parseRecord('{"jobId": 3}')).toBeUndefined()
    expect(parseRecord('not json')).toBeUndefined()
    expect(parseRecord('null')).toBeUndefined()
    // A job id that is not an id's shape (a newline and a workflow command) makes no record.
    expect(parseRecord(JSON.stringify(record('j\n::warning::forged')))).toBeUndefined()
  })
})

describe('placeWindow', () => {
  it('without a window, every matched record is a candidate', () => {
    const placed = placeWindow([record('j1'), record('j2')], undefined, new Set())
    expect(placed.candidates.map(c => c.record.jobId)).toEqual(['j1', 'j2'])
    expect(placed).toMatchObject({ unresolved: [], excluded: [] })
  })

  it("with a window: the window's matched jobs are candidates, other records left out by id, no record unresolved", () => {
    const placed = placeWindow(
      [record('match'), record('outside-window')],
      [listed('match'), listed('other-commit'), listed('no-record')],
      new Set(['match', 'outside-window', 'other-commit'])
    )
    expect(placed.candidates.map(c => [c.record.jobId, c.listed?.jobId])).toEqual([['match', 'match']])
    expect(placed.excluded).toEqual(['other-commit'])
    expect(placed.unresolved).toEqual(['no-record'])
  })

  it('merges with the job-id input, which wins for a job in both', () => {
    const named = [{ jobId: 'j1', source: 'job-id' as const, jobOwner: '210987654321' }]
    const merged = mergeTargets(named, [
      { jobId: 'j1', source: 'provenance' },
      { jobId: 'j2', source: 'provenance' }
    ])
    expect(merged).toEqual([named[0], { jobId: 'j2', source: 'provenance' }])
  })
})

describe('findByProvenance', () => {
  const s3Mock = mockClient(S3Client)
  const s3 = new S3Client({ region: 'us-east-1' })
  const signerMock = mockClient(SignerClient)
  const signer = new SignerClient({ region: 'us-east-1' })
  const SEARCH: ProvenanceSearch = {
    profileName: 'release_signing',
    filters: { runId: '77' },
    recordsBucket: 'artifacts',
    recordsPrefix: 'signed/provenance/'
  }
  // What the SDK's body mixin offers and readRecord uses.
  const body = (value: unknown) => ({ transformToString: async () => JSON.stringify(value) })

  let listInputs: Record<string, unknown>[]

  beforeEach(() => {
    s3Mock.reset()
    signerMock.reset()
    signerMock.on(DescribeSigningJobCommand).callsFake(input => listed(input.jobId))
    listInputs = []
    s3Mock.on(ListObjectsV2Command).callsFake(input => {
      // A copy: the paginator reuses its input object from page to page.
      listInputs.push({ ...input })
      return input.ContinuationToken === undefined
        ? {
            Contents: [
              { Key: 'signed/provenance/by-run/77/acme/firmware/attempt/1/j1.json' },
              { Key: 'signed/provenance/by-run/77/acme/firmware/attempt/1/j2.json' }
            ],
            IsTruncated: true,
            NextContinuationToken: 'page-2'
          }
        : {
            Contents: [
              { Key: 'signed/provenance/by-run/77/acme/firmware/attempt/2/j1.json' },
              { Key: 'signed/provenance/by-run/77/acme/firmware/attempt/2/j3.json' }
            ],
            IsTruncated: false
          }
    })
    s3Mock.on(GetObjectCommand).callsFake(input => {
      const jobId = /\/(j\d)\.json$/.exec(input.Key)?.[1] ?? ''
      return { Body: body(record(jobId, jobId === 'j3' ? { profileName: 'another' } : {})) }
    })
  })

  it('lists every page of the narrowest prefix, reads each job once and keeps the matches', async () => {
    const found = await findByProvenance(s3, signer, SEARCH, undefined, { concurrency: 2, pageSize: 2 })
    expect(found.targets.map(t => t.jobId)).toEqual(['j1', 'j2'])
    expect(listInputs).toEqual([
      { Bucket: 'artifacts', Prefix: 'signed/provenance/by-run/77/', MaxKeys: 2 },
      { Bucket: 'artifacts', Prefix: 'signed/provenance/by-run/77/', MaxKeys: 2, ContinuationToken: 'page-2' }
    ])
    // Each job's index record once, then the job's own record of each match.
    expect(s3Mock.commandCalls(GetObjectCommand).map(call => call.args[0].input.Key)).toEqual([
      'signed/provenance/by-run/77/acme/firmware/attempt/1/j1.json',
      'signed/provenance/by-run/77/acme/firmware/attempt/1/j2.json',
      'signed/provenance/by-run/77/acme/firmware/attempt/2/j3.json',
      'signed/provenance/jobs/j1.json',
      'signed/provenance/jobs/j2.json'
    ])
    // No window: Signer is asked about each match before it is planned, and its answer is the plan's state.
    expect(signerMock.commandCalls(DescribeSigningJobCommand).map(call => call.args[0].input.jobId)).toEqual([
      'j1',
      'j2'
    ])
    expect(found.targets.map(t => t.listed?.kind)).toEqual(['found', 'found'])
    expect(found.report).toEqual({
      filters: { runId: '77' },
      location: 's3://artifacts/signed/provenance/by-run/77/',
      pages: 2,
      records: 3,
      matched: 2,
      excluded: [],
      unresolved: [],
      contradicted: [],
      signedNothing: [],
      unreadable: []
    })
  })

  it("looks up only the window's jobs it did not list, to tell a record elsewhere from none", async () => {
    s3Mock.on(HeadObjectCommand, { Key: 'signed/provenance/jobs/elsewhere.json' }).resolves({})
    s3Mock
      .on(HeadObjectCommand, { Key: 'signed/provenance/jobs/none.json' })
      .rejects(new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }))
    const window = [listed('j1'), listed('j3'), listed('elsewhere'), listed('none')]
    const found = await findByProvenance(s3, signer, SEARCH, window, { concurrency: 2 })
    expect(found.targets.map(t => t.jobId)).toEqual(['j1'])
    expect(s3Mock.commandCalls(HeadObjectCommand).map(call => call.args[0].input.Key)).toEqual([
      'signed/provenance/jobs/elsewhere.json',
      'signed/provenance/jobs/none.json'
    ])
    expect(found.report).toMatchObject({ matched: 1, excluded: ['j3', 'elsewhere'], unresolved: ['none'] })
    // The listing said enough to prove a record of the earlier layout: no DescribeSigningJob.
    expect(signerMock.commandCalls(DescribeSigningJobCommand)).toHaveLength(0)
    expect(provenanceLine(found.report)).toBe(
      'jobs with run-id 77: 1 job(s) matched among 3 record(s) at s3://artifacts/signed/provenance/by-run/77/ (2 page(s)); ' +
        'job(s) of the window left out, their records do not match: j3, elsewhere; ' +
        '1 job(s) without a readable record (unresolved, not revoked): none'
    )
  })

  it('warns of each unresolved job, and of a location holding no record at all', async () => {
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [], IsTruncated: false })
    s3Mock
      .on(HeadObjectCommand)
      .rejects(new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }))
    const found = await findByProvenance(s3, signer, SEARCH, [listed('none')], { concurrency: 2 })
    expect(provenanceWarnings(found.report)).toEqual([
      'Signing job none was found by the time-window search but has no provenance record: not revoked',
      'No provenance record under s3://artifacts/signed/provenance/by-run/77/: check records-bucket and ' +
        "records-prefix (the signing workflow's destination-bucket, and its destination-prefix followed by provenance/)"
    ])
  })

  it('reports a listing that fails instead of throwing, with no target', async () => {
    s3Mock
      .on(ListObjectsV2Command)
      .rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }))
    const found = await findByProvenance(s3, signer, SEARCH, undefined, { concurrency: 2 })
    expect(found.targets).toEqual([])
    expect(found.report.error).toBe(
      'listing the provenance records at s3://artifacts/signed/provenance/by-run/77/ failed: Access Denied'
    )
  })

  it('says which bucket to name when the records bucket does not exist', async () => {
    s3Mock
      .on(ListObjectsV2Command)
      .rejects(Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' }))
    const found = await findByProvenance(s3, signer, SEARCH, undefined, { concurrency: 2 })
    expect(found.report.error).toBe(
      'listing the provenance records at s3://artifacts/signed/provenance/by-run/77/ failed: The specified ' +
        "bucket does not exist: set records-bucket to the signing stack's ArtifactBucketName output (the " +
        'destination-bucket sign mode wrote the records to)'
    )
  })

  it('leaves the job of a record that is not one, or that the role may not read (403), unresolved', async () => {
    s3Mock.on(GetObjectCommand).callsFake(input => {
      if (String(input.Key).endsWith('/j1.json')) return { Body: body({ not: 'a record' }) }
      if (String(input.Key).endsWith('/j2.json')) {
        throw Object.assign(new Error('Access Denied'), {
          name: 'AccessDenied',
          $metadata: { httpStatusCode: 403 }
        })
      }
      return { Body: body(record('j3')) }
    })
    const found = await findByProvenance(s3, signer, SEARCH, undefined, { concurrency: 2 })
    expect(found.report.error).toBeUndefined()
    expect(found.targets.map(t => t.jobId)).toEqual(['j3'])
    expect(found.report.unresolved).toEqual(['j1', 'j2'])
    expect(provenanceWarnings(found.report)).toEqual([
      'Signing job j1: its provenance record could not be read (it is not a provenance record): unresolved, not revoked',
      expect.stringMatching(/^Signing job j2: its provenance record could not be read \(S3 answered 403: /)
    ])
  })

  it("never targets a record that Signer or the job's own record contradicts, and names it", async () => {
    s3Mock.on(GetObjectCommand).callsFake(input => {
      const key = String(input.Key)
      const jobId = /\/(j\d)\.json$/.exec(key)?.[1] ?? ''
      // j2's index record names another commit than its own record does.
      if (key === 'signed/provenance/jobs/j2.json')
        return { Body: body(record('j2', { commit: 'f'.repeat(40) })) }
      return { Body: body(record(jobId)) }
    })
    // Signer says j1 signed another object with another profile.
    signerMock.on(DescribeSigningJobCommand, { jobId: 'j1' }).resolves({
      ...listed('j1'),
      profileName: 'other_profile',
      source: { s3: { bucketName: 'b', key: 'other', version: 'v' } }
    })
    const found = await findByProvenance(s3, signer, SEARCH, undefined, { concurrency: 2 })
    expect(found.targets.map(t => t.jobId)).toEqual(['j3'])
    expect(found.report.contradicted).toEqual([
      { jobId: 'j2', against: 'its own record', fields: ['commit'] },
      { jobId: 'j1', against: 'AWS Signer', fields: ['profileName', 'source key'] }
    ])
  })
})

describe('approved-job-ids', () => {
  const plan = (jobId: string, action: JobPlan['action']): JobPlan => ({
    target: { jobId, source: 'provenance' },
    state: { kind: 'found' },
    action
  })

  it('accepts the same plan, and approved jobs revoked since', () => {
    const plans = [plan('j1', 'revoke'), plan('j2', 'skip')]
    expect(compareWithApproved(plans, ['j1', 'j2'])).toEqual({ added: [], missing: [] })
    expect(approvalMessage({ added: [], missing: [] })).toBeUndefined()
  })

  it('names the jobs added and the jobs missing', () => {
    const plans = [plan('j1', 'revoke'), plan('j3', 'revoke'), plan('j4', 'fail')]
    const diff = compareWithApproved(plans, ['j1', 'j2', 'j4'])
    expect(diff).toEqual({ added: ['j3'], missing: ['j2', 'j4'] })
    expect(approvalMessage(diff)).toBe(
      'The plan differs from approved-job-ids, so nothing was revoked: added (not approved): j3; ' +
        'missing (approved, no longer planned): j2, j4. Run the dry run again and have the new plan approved.'
    )
  })

  it('refuses an empty approval when the plan revokes something', () => {
    expect(compareWithApproved([plan('j1', 'revoke')], [])).toEqual({ added: ['j1'], missing: [] })
  })
})
