import { DescribeSigningJobCommand, SignerClient } from '@aws-sdk/client-signer'
import { mockClient } from 'aws-sdk-client-mock'
import { StartRecord } from '../../src/provenance/types'
import { SignerJob, contradictions, needsDescribe, prove } from '../../src/revoke/proof'

const SESSION_ARN = 'arn:aws:sts::123456789012:assumed-role/SignRole/sign-4711-2'

function start(extra: Partial<StartRecord> = {}, run: Partial<StartRecord['run']> = {}): StartRecord {
  return {
    schemaVersion: 2,
    kind: 'start',
    repository: 'acme/firmware',
    commit: 'c'.repeat(40),
    sha256: 'a'.repeat(64),
    jobId: 'job-1',
    jobOwner: '123456789012',
    requestedBy: SESSION_ARN,
    jobCreatedAt: '2026-11-23T10:00:00.000Z',
    profileName: 'release_signing',
    profileOwner: null,
    profileVersion: 'Ver1',
    profileVersionArn: null,
    platformId: 'AWSLambda-SHA384-ECDSA',
    source: { bucket: 'artifacts', key: 'unsigned/a/app.zip', versionId: 'v1' },
    run: {
      ref: 'refs/heads/main',
      workflow: 'release',
      runId: '4711',
      runAttempt: '2',
      actor: 'bot',
      artifactPaths: ['app.zip'],
      startedJob: true,
      roleSessionName: 'sign-4711-2',
      ...run
    },
    ...extra
  }
}

const SIGNER: SignerJob = {
  jobId: 'job-1',
  jobOwner: '123456789012',
  profileName: 'release_signing',
  profileVersion: 'Ver1',
  status: 'Succeeded',
  requestedBy: SESSION_ARN,
  source: { s3: { bucketName: 'artifacts', key: 'unsigned/a/app.zip', version: 'v1' } }
}

describe('contradictions', () => {
  it('finds none when Signer agrees on every field', () => {
    expect(contradictions(start(), SIGNER)).toEqual([])
  })

  it('names each field Signer disagrees with: another profile, owner, source', () => {
    const other: SignerJob = {
      ...SIGNER,
      jobOwner: '210987654321',
      profileName: 'production_signing',
      profileVersion: 'Ver9',
      source: { s3: { bucketName: 'prod', key: 'release/app.zip', version: 'v9' } }
    }
    expect(contradictions(start(), other)).toEqual([
      'jobOwner',
      'profileName',
      'profileVersion',
      'source bucket',
      'source key',
      'source version'
    ])
  })

  it('does not check what the record did not know when it was written', () => {
    expect(
      contradictions(start({ profileVersion: null, jobOwner: null, requestedBy: null }), {
        ...SIGNER,
        profileVersion: 'Ver2'
      })
    ).toEqual([])
  })

  it("checks the run's role session against requestedBy, and that the session names the run", () => {
    const otherRun = { ...SIGNER, requestedBy: 'arn:aws:sts::123456789012:assumed-role/SignRole/sign-100-1' }
    expect(contradictions(start({ requestedBy: null }), otherRun)).toEqual(['role session (requestedBy)'])
    // A planted record that copies Signer's requestedBy but claims another run is caught by the run id.
    const planted = start({ requestedBy: otherRun.requestedBy }, { roleSessionName: 'sign-100-1' })
    expect(contradictions(planted, otherRun)).toEqual(['role session (does not name the run)'])
    expect(contradictions(start({ requestedBy: null }, { roleSessionName: null }), otherRun)).toEqual([])
  })

  it('asks DescribeSigningJob only for what the listing lacks (requestedBy)', () => {
    expect(needsDescribe(start())).toBe(true)
    expect(needsDescribe(start({ requestedBy: null }, { roleSessionName: null }))).toBe(false)
  })
})

describe('prove', () => {
  const signerMock = mockClient(SignerClient)
  const signer = new SignerClient({ region: 'us-east-1' })
  beforeEach(() => signerMock.reset())

  it("proves against DescribeSigningJob, whose answer becomes the plan's state", async () => {
    signerMock.on(DescribeSigningJobCommand).resolves(SIGNER as never)
    const proof = await prove(signer, { record: start() })
    expect(proof).toEqual({
      kind: 'proven',
      state: expect.objectContaining({ kind: 'found', status: 'Succeeded' })
    })
    expect(signerMock.commandCalls(DescribeSigningJobCommand)[0].args[0].input).toEqual({ jobId: 'job-1' })
  })

  it('sets a Failed job apart (it signed nothing), and a job Signer cannot describe as unknown', async () => {
    signerMock.on(DescribeSigningJobCommand).resolvesOnce({ ...SIGNER, status: 'Failed' } as never)
    expect(await prove(signer, { record: start() })).toEqual({ kind: 'failed' })
    signerMock
      .on(DescribeSigningJobCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))
    expect(await prove(signer, { record: start() })).toMatchObject({ kind: 'unknown' })
  })

  it('contradicts before it looks at the status', async () => {
    signerMock
      .on(DescribeSigningJobCommand)
      .resolves({ ...SIGNER, profileName: 'x', status: 'Failed' } as never)
    expect(await prove(signer, { record: start() })).toEqual({
      kind: 'contradicted',
      fields: ['profileName']
    })
  })
})
