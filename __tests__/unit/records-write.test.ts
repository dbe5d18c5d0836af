import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import { FACT_FIELDS, disagreements } from '../../src/provenance/compare'
import { RecordConflictError, compareJson, putOnce } from '../../src/sign/put-once'

const s3Mock = mockClient(S3Client)
const s3 = new S3Client({ region: 'us-east-1' })
const body = (value: unknown) => ({ transformToString: async () => JSON.stringify(value) })

/** The errors S3 answers a conditional write with (S3 API reference, PutObject: 412 and 409). */
const s3Error = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name })

const MINE = {
  jobId: 'job-a',
  repository: 'acme/firmware',
  commit: 'c1',
  profileVersion: 'Ver1',
  requestedBy: 'arn:aws:sts::123456789012:assumed-role/Sign/sign-1-1',
  source: { bucket: 'b', key: 'k', versionId: 'v' },
  run: { runId: '2', runAttempt: '1' }
}
const REQUEST = { bucket: 'artifacts', key: 'signed/provenance/jobs/job-a.json', body: JSON.stringify(MINE) }

beforeEach(() => s3Mock.reset())

describe('putOnce', () => {
  it('writes a free key with If-None-Match: *', async () => {
    s3Mock.on(PutObjectCommand).resolves({})
    expect(await putOnce(s3, REQUEST, compareJson(MINE, FACT_FIELDS))).toBe('written')
    expect(s3Mock.commandCalls(PutObjectCommand)[0].args[0].input).toMatchObject({
      Bucket: 'artifacts',
      Key: REQUEST.key,
      IfNoneMatch: '*'
    })
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0)
  })

  it('leaves a taken key as it is when its record agrees (another run, another attempt)', async () => {
    s3Mock.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412))
    s3Mock.on(GetObjectCommand).resolves({ Body: body({ ...MINE, run: { runId: '3' } }) } as never)
    expect(await putOnce(s3, REQUEST, compareJson(MINE, FACT_FIELDS))).toBe('found')
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(1)
  })

  it('fails loudly, naming the key and the fields, when the record there differs', async () => {
    s3Mock.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412))
    s3Mock.on(GetObjectCommand).resolves({
      Body: body({ ...MINE, commit: 'c2', source: { ...MINE.source, versionId: 'w' } })
    } as never)
    const written = putOnce(s3, REQUEST, compareJson(MINE, FACT_FIELDS))
    await expect(written).rejects.toThrow(RecordConflictError)
    await expect(written).rejects.toThrow(
      /^s3:\/\/artifacts\/signed\/provenance\/jobs\/job-a.json already holds a record that differs from this run's on commit, source.versionId:/
    )
  })

  it('takes neither an empty object, another job, nor text that is not JSON for its record', async () => {
    const compare = compareJson(MINE, FACT_FIELDS)
    expect(compare('{}')).toEqual(['jobId'])
    expect(compare(JSON.stringify({ ...MINE, jobId: 'job-b' }))).toEqual(['jobId'])
    expect(compare('not json\n::warning::x')).toEqual(['(not a JSON record)'])
  })

  it('retries a write that raced another (409 ConditionalRequestConflict), which then finds the key taken', async () => {
    s3Mock
      .on(PutObjectCommand)
      .rejectsOnce(s3Error('ConditionalRequestConflict', 409))
      .rejects(s3Error('PreconditionFailed', 412))
    s3Mock.on(GetObjectCommand).resolves({ Body: body(MINE) } as never)
    expect(await putOnce(s3, REQUEST, compareJson(MINE, FACT_FIELDS))).toBe('found')
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(2)
  })

  it('passes any other error on', async () => {
    s3Mock.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403))
    await expect(putOnce(s3, REQUEST, compareJson(MINE, FACT_FIELDS))).rejects.toThrow('AccessDenied')
    expect(s3Mock.commandCalls(GetObjectCommand)).toHaveLength(0)
  })
})

describe('disagreements', () => {
  it('sees two known values that differ, and lets an unknown one agree', () => {
    expect(
      disagreements(MINE, { ...MINE, profileVersion: null, requestedBy: undefined }, FACT_FIELDS)
    ).toEqual([])
    expect(disagreements({ ...MINE, jobOwner: '1' }, { ...MINE, jobOwner: '2' }, FACT_FIELDS)).toEqual([
      'jobOwner'
    ])
    expect(
      disagreements(MINE, { ...MINE, source: { bucket: 'b', key: 'other', versionId: 'v' } }, FACT_FIELDS)
    ).toEqual(['source.key'])
    // The run is not a fact of the job: another run writes its own.
    expect(disagreements(MINE, { ...MINE, run: { runId: '9' } }, FACT_FIELDS)).toEqual([])
  })
})
