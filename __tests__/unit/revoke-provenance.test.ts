import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  S3Client
} from '@aws-sdk/client-s3'
import { SigningJob } from '@aws-sdk/client-signer'
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
  provenanceWarnings,
  resolveTargets
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
  })
})

describe('resolveTargets', () => {
  it('without a window, targets every matched record with its owner', () => {
    const resolved = resolveTargets([record('j1'), record('j2', { jobOwner: null })], undefined, new Set())
    expect(resolved).toEqual({
      targets: [
        { jobId: 'j1', source: 'provenance', jobOwner: '123456789012' },
        { jobId: 'j2', source: 'provenance' }
      ],
      unresolved: [],
      excluded: 0
    })
  })

  it("with a window: the window's matched jobs are targets, other records left out, no record unresolved", () => {
    const resolved = resolveTargets(
      [record('match'), record('outside-window')],
      [listed('match'), listed('other-commit'), listed('no-record')],
      new Set(['match', 'outside-window', 'other-commit'])
    )
    expect(resolved.targets.map(t => [t.jobId, t.source, t.listed?.kind])).toEqual([
      ['match', 'provenance', 'found']
    ])
    expect(resolved.excluded).toBe(1)
    expect(resolved.unresolved).toEqual(['no-record'])
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
    const found = await findByProvenance(s3, SEARCH, undefined, { concurrency: 2, pageSize: 2 })
    expect(found.targets.map(t => t.jobId)).toEqual(['j1', 'j2'])
    expect(listInputs).toEqual([
      { Bucket: 'artifacts', Prefix: 'signed/provenance/by-run/77/', MaxKeys: 2 },
      { Bucket: 'artifacts', Prefix: 'signed/provenance/by-run/77/', MaxKeys: 2, ContinuationToken: 'page-2' }
    ])
    expect(s3Mock.commandCalls(GetObjectCommand).map(call => call.args[0].input.Key)).toEqual([
      'signed/provenance/by-run/77/acme/firmware/attempt/1/j1.json',
      'signed/provenance/by-run/77/acme/firmware/attempt/1/j2.json',
      'signed/provenance/by-run/77/acme/firmware/attempt/2/j3.json'
    ])
    expect(found.report).toEqual({
      filters: { runId: '77' },
      location: 's3://artifacts/signed/provenance/by-run/77/',
      pages: 2,
      records: 3,
      matched: 2,
      excluded: 0,
      unresolved: []
    })
  })

  it("looks up only the window's jobs it did not list, to tell a record elsewhere from none", async () => {
    s3Mock.on(HeadObjectCommand, { Key: 'signed/provenance/jobs/elsewhere.json' }).resolves({})
    s3Mock
      .on(HeadObjectCommand, { Key: 'signed/provenance/jobs/none.json' })
      .rejects(new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }))
    const window = [listed('j1'), listed('j3'), listed('elsewhere'), listed('none')]
    const found = await findByProvenance(s3, SEARCH, window, { concurrency: 2 })
    expect(found.targets.map(t => t.jobId)).toEqual(['j1'])
    expect(s3Mock.commandCalls(HeadObjectCommand).map(call => call.args[0].input.Key)).toEqual([
      'signed/provenance/jobs/elsewhere.json',
      'signed/provenance/jobs/none.json'
    ])
    expect(found.report).toMatchObject({ matched: 1, excluded: 2, unresolved: ['none'] })
    expect(provenanceLine(found.report)).toBe(
      'jobs with run-id 77: 1 job(s) matched among 3 record(s) at s3://artifacts/signed/provenance/by-run/77/ (2 page(s)); ' +
        '2 job(s) of the window left out: their records do not match; ' +
        '1 job(s) of the window have no record (unresolved, not revoked): none'
    )
  })

  it('warns of each unresolved job, and of a location holding no record at all', async () => {
    s3Mock.on(ListObjectsV2Command).resolves({ Contents: [], IsTruncated: false })
    s3Mock
      .on(HeadObjectCommand)
      .rejects(new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }))
    const found = await findByProvenance(s3, SEARCH, [listed('none')], { concurrency: 2 })
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
    const found = await findByProvenance(s3, SEARCH, undefined, { concurrency: 2 })
    expect(found.targets).toEqual([])
    expect(found.report.error).toBe(
      'reading the provenance records at s3://artifacts/signed/provenance/by-run/77/ failed: Access Denied'
    )
  })

  it('says which bucket to name when the records bucket does not exist', async () => {
    s3Mock
      .on(ListObjectsV2Command)
      .rejects(Object.assign(new Error('The specified bucket does not exist'), { name: 'NoSuchBucket' }))
    const found = await findByProvenance(s3, SEARCH, undefined, { concurrency: 2 })
    expect(found.report.error).toBe(
      'reading the provenance records at s3://artifacts/signed/provenance/by-run/77/ failed: The specified ' +
        "bucket does not exist: set records-bucket to the signing stack's ArtifactBucketName output (the " +
        'destination-bucket sign mode wrote the records to)'
    )
  })

  it('reports a record that is not one', async () => {
    s3Mock.on(GetObjectCommand).callsFake(() => ({ Body: body({ not: 'a record' }) }))
    const found = await findByProvenance(s3, SEARCH, undefined, { concurrency: 2 })
    expect(found.report.error).toContain('is not a provenance record')
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
