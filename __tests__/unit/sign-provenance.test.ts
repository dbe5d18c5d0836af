import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import * as core from '@actions/core'
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { SignerClient } from '@aws-sdk/client-signer'
import { mockClient } from 'aws-sdk-client-mock'
import { AwsClients } from '../../src/aws'
import { SignConfig } from '../../src/config'
import { RunContext } from '../../src/context'
import {
  jobRecords,
  manifestText,
  partitionOf,
  profileVersionArn,
  startRecord
} from '../../src/sign/provenance'
import { recordProvenance } from '../../src/sign/record'
import { ArtifactResult } from '../../src/sign/types'
import { makeWorkspace } from '../../scripts/run-action'

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
const CONTEXT: RunContext = {
  repository: 'acme/firmware',
  commit: SHA,
  ref: 'refs/tags/v1.2.3',
  workflow: 'release',
  runId: '1001',
  runAttempt: '3',
  actor: 'release-bot',
  serverUrl: 'https://github.com'
}
const CONFIG = { profileName: 'release_signing', profileOwner: undefined }
const EXPIRES = new Date('2038-02-23T16:00:00Z')
const CREATED = new Date('2026-11-23T10:00:00Z')

function result(
  relativePath: string,
  jobId: string | undefined,
  extra: Partial<ArtifactResult> = {}
): ArtifactResult {
  return {
    artifact: {
      path: `/ws/${relativePath}`,
      relativePath,
      size: 5,
      sha256: `${relativePath.length}`.repeat(64).slice(0, 64)
    },
    source: {
      bucket: 'artifacts',
      key: `unsigned/x/${path.basename(relativePath)}`,
      versionId: 'v1',
      reused: false
    },
    job: jobId
      ? {
          jobId,
          jobOwner: '123456789012',
          status: 'Succeeded',
          createdAt: CREATED,
          signatureExpiresAt: EXPIRES,
          signedObject: { bucket: 'artifacts', key: `signed/${jobId}.zip` },
          profileVersion: 'Ver0000001',
          platformId: 'AWSLambda-SHA384-ECDSA'
        }
      : undefined,
    signedSha256: jobId ? 'ff'.repeat(32) : undefined,
    signedVersionId: jobId ? `v-signed-${jobId}` : undefined,
    ...extra
  }
}

describe('profile version ARN', () => {
  it('follows the partition of the region', () => {
    expect(partitionOf('us-east-1')).toBe('aws')
    expect(partitionOf('cn-north-1')).toBe('aws-cn')
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov')
    expect(profileVersionArn('eu-west-1', '123456789012', 'release_signing', 'Ver0000001')).toBe(
      'arn:aws:signer:eu-west-1:123456789012:/signing-profiles/release_signing/Ver0000001'
    )
    expect(profileVersionArn('eu-west-1', undefined, 'release_signing', 'Ver0000001')).toBeNull()
    expect(profileVersionArn('eu-west-1', '123456789012', 'release_signing', undefined)).toBeNull()
  })
})

describe('jobRecords', () => {
  it('makes one record per job, sorted by job id, with every field', () => {
    const records = jobRecords(
      [result('b.zip', 'job-b'), result('a.zip', 'job-a')],
      CONTEXT,
      CONFIG,
      'eu-west-1'
    )
    expect(records.map(record => record.jobId)).toEqual(['job-a', 'job-b'])
    expect(records[0]).toEqual({
      repository: 'acme/firmware',
      commit: SHA,
      artifactPaths: ['a.zip'],
      sha256: '5'.repeat(64),
      signedSha256: 'ff'.repeat(32),
      jobId: 'job-a',
      jobOwner: '123456789012',
      status: 'Succeeded',
      jobCreatedAt: '2026-11-23T10:00:00.000Z',
      profileName: 'release_signing',
      profileOwner: null,
      profileVersion: 'Ver0000001',
      profileVersionArn: 'arn:aws:signer:eu-west-1:123456789012:/signing-profiles/release_signing/Ver0000001',
      platformId: 'AWSLambda-SHA384-ECDSA',
      signatureExpiresAt: '2038-02-23T16:00:00.000Z',
      source: { bucket: 'artifacts', key: 'unsigned/x/a.zip', versionId: 'v1' },
      signed: { bucket: 'artifacts', key: 'signed/job-a.zip' },
      signedVersionId: 'v-signed-job-a'
    })
  })

  it('lists both paths of a job shared by two files, and leaves out artifacts without a job', () => {
    const records = jobRecords(
      [result('dist/a.zip', 'job-1'), result('copy/a.zip', 'job-1'), result('c.zip', undefined)],
      CONTEXT,
      CONFIG,
      'us-east-1'
    )
    expect(records).toHaveLength(1)
    expect(records[0].artifactPaths).toEqual(['copy/a.zip', 'dist/a.zip'])
  })

  it('records no Failed job: it signed nothing', () => {
    const failed = result('a.zip', undefined, {
      job: { jobId: 'job-f', status: 'Failed', statusReason: 'bad' }
    })
    expect(
      jobRecords([failed, result('b.zip', 'job-b')], CONTEXT, CONFIG, 'us-east-1').map(r => r.jobId)
    ).toEqual(['job-b'])
  })

  it('uses null for what this run does not know (a job not waited for, not downloaded)', () => {
    const running = result('a.zip', undefined, {
      job: { jobId: 'job-1', status: 'InProgress' },
      signedSha256: undefined
    })
    const [record] = jobRecords(
      [running],
      CONTEXT,
      { profileName: 'p1', profileOwner: '210987654321' },
      'us-east-1'
    )
    expect(record).toMatchObject({
      status: 'InProgress',
      signedSha256: null,
      jobOwner: null,
      profileOwner: '210987654321',
      profileVersion: null,
      profileVersionArn: null,
      platformId: null,
      signatureExpiresAt: null,
      jobCreatedAt: null,
      signed: null
    })
  })
})

describe('manifestText', () => {
  it('is the same text for the same jobs whichever run (attempt, actor) writes it', () => {
    const results = [result('a.zip', 'job-a'), result('b.zip', 'job-b')]
    const first = manifestText(jobRecords(results, CONTEXT, CONFIG, 'us-east-1'), CONTEXT)
    const rerun = { ...CONTEXT, runAttempt: '4', actor: 'someone-else', runId: '2002' }
    const second = manifestText(jobRecords([...results].reverse(), rerun, CONFIG, 'us-east-1'), rerun)
    expect(second).toBe(first)
    expect(first).not.toMatch(/1001|release-bot|runAttempt/)
    expect(JSON.parse(first)).toMatchObject({ schemaVersion: 1, repository: 'acme/firmware', commit: SHA })
    expect(first.endsWith('}\n')).toBe(true)
  })
})

describe('startRecord', () => {
  const RUN_STARTED = new Date('2026-11-23T09:59:00Z')
  const ROLE = 'arn:aws:sts::123456789012:assumed-role/SignRole'
  const input = (requestedBy: string, createdAt = CREATED) => {
    const { job, source } = result('a.zip', 'job-a')
    return {
      job: { ...(job as NonNullable<typeof job>), requestedBy, createdAt, sourceVersion: 'v-other' },
      source: source as NonNullable<typeof source>,
      sha256: 'aa'.repeat(32),
      artifactPaths: ['z/a.zip', 'a.zip'],
      runStartedAt: RUN_STARTED
    }
  }

  it("holds what this run asked for, what Signer said of the job, and the run's own role session", () => {
    const record = startRecord(input(`${ROLE}/sign-1001-3`), CONTEXT, CONFIG, 'us-east-1')
    expect(record).toEqual({
      schemaVersion: 2,
      kind: 'start',
      repository: 'acme/firmware',
      commit: SHA,
      sha256: 'aa'.repeat(32),
      jobId: 'job-a',
      jobOwner: '123456789012',
      requestedBy: `${ROLE}/sign-1001-3`,
      jobCreatedAt: CREATED.toISOString(),
      profileName: 'release_signing',
      profileOwner: null,
      profileVersion: 'Ver0000001',
      profileVersionArn: 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/release_signing/Ver0000001',
      platformId: 'AWSLambda-SHA384-ECDSA',
      // The version this run asked Signer to sign, not the one the job names: a mismatch is revoke's to see.
      source: { bucket: 'artifacts', key: 'unsigned/x/a.zip', versionId: 'v1' },
      run: {
        ref: 'refs/tags/v1.2.3',
        workflow: 'release',
        runId: '1001',
        runAttempt: '3',
        actor: 'release-bot',
        artifactPaths: ['a.zip', 'z/a.zip'],
        startedJob: true,
        roleSessionName: 'sign-1001-3'
      }
    })
  })

  it('names a role session only when it names the run, and only for a job this run started', () => {
    const session = (requestedBy: string, createdAt?: Date) =>
      startRecord(input(requestedBy, createdAt), CONTEXT, CONFIG, 'us-east-1').run
    expect(session(`${ROLE}/GitHubActions`)).toMatchObject({ startedJob: true, roleSessionName: null })
    expect(session(`${ROLE}/sign-10011-3`).roleSessionName).toBeNull()
    expect(session('arn:aws:iam::123456789012:user/sign-1001')).toMatchObject({ roleSessionName: null })
    const earlier = session(`${ROLE}/sign-1001-1`, new Date('2026-11-22T10:00:00Z'))
    expect(earlier).toMatchObject({ startedJob: false, roleSessionName: null })
  })
})

describe('recordProvenance', () => {
  const s3Mock = mockClient(S3Client)
  const clients: AwsClients = {
    s3: new S3Client({ region: 'us-east-1' }),
    signer: new SignerClient({ region: 'us-east-1' }),
    region: 'us-east-1'
  }
  let workspace: string
  let outputs: Record<string, string>
  let errors: string[]

  function signConfig(overrides: Partial<SignConfig> = {}): SignConfig {
    return {
      mode: 'sign',
      showSummary: false,
      workspace,
      patterns: ['*.zip'],
      ifNoFilesFound: 'error',
      profileName: 'release_signing',
      sourceBucket: 'artifacts',
      sourcePrefix: 'unsigned/',
      destinationBucket: 'signed-artifacts',
      destinationPrefix: 'release/',
      outputDir: path.join(workspace, 'signed'),
      timeoutSeconds: 60,
      wait: true,
      download: true,
      maxConcurrency: 2,
      expectedBucketOwner: '123456789012',
      ...overrides
    }
  }

  beforeEach(() => {
    s3Mock.reset()
    workspace = makeWorkspace({ 'signed/a.zip': 'signed alpha' })
    outputs = {}
    errors = []
    jest.spyOn(core, 'setOutput').mockImplementation((name: string, value: unknown) => {
      outputs[name] = String(value)
    })
    jest.spyOn(core, 'info').mockImplementation(() => undefined)
    jest.spyOn(core, 'warning').mockImplementation(message => void errors.push(String(message)))
  })
  afterEach(() => {
    jest.restoreAllMocks()
    fs.rmSync(workspace, { recursive: true, force: true })
  })

  it("writes the manifest with the signed file's hash (from the finish stage) and the finish record, once", async () => {
    s3Mock.on(PutObjectCommand).resolves({})
    // sha256('signed alpha'), as the finish stage hashed it on download
    const hash = createHash('sha256').update('signed alpha').digest('hex')
    const results = [
      result('a.zip', 'job-a', { signedPath: path.join(workspace, 'signed/a.zip'), signedSha256: hash })
    ]
    const written = await recordProvenance(results, signConfig(), clients, CONTEXT)
    const manifestPath = path.join(workspace, 'signed', 'manifest.json')
    expect(written).toBe(manifestPath)
    expect(outputs['manifest-path']).toBe(manifestPath)
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'))
    expect(manifest.jobs[0]).toMatchObject({ jobId: 'job-a', signedSha256: hash })

    const puts = s3Mock.commandCalls(PutObjectCommand).map(call => call.args[0].input)
    // The start record was written when the job started: the end of the run adds the finish record.
    expect(puts).toHaveLength(1)
    expect(puts[0]).toMatchObject({
      Bucket: 'signed-artifacts',
      Key: 'release/provenance/finish/job-a.json',
      ContentType: 'application/json',
      IfNoneMatch: '*',
      ExpectedBucketOwner: '123456789012'
    })
    expect(JSON.parse(String(puts[0].Body))).toEqual({
      schemaVersion: 2,
      kind: 'finish',
      jobId: 'job-a',
      status: 'Succeeded',
      signatureExpiresAt: EXPIRES.toISOString(),
      // The version Signer wrote, as the finish stage read it from S3.
      signed: { bucket: 'artifacts', key: 'signed/job-a.zip', versionId: 'v-signed-job-a' },
      signedSha256: hash,
      run: {
        ref: 'refs/tags/v1.2.3',
        workflow: 'release',
        runId: '1001',
        runAttempt: '3',
        actor: 'release-bot'
      }
    })
  })

  it('fails the artifacts whose record could not be written, and only those', async () => {
    s3Mock.on(PutObjectCommand).callsFake(input => {
      if (String(input.Key).includes('job-b'))
        throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' })
      return {}
    })
    const results = [result('a.zip', 'job-a'), result('b.zip', 'job-b')]
    await recordProvenance(results, signConfig(), clients, CONTEXT)
    expect(results[0].error).toBeUndefined()
    expect(results[1].error?.message).toBe(
      'signed, but its finish record could not be written to s3://signed-artifacts/release/provenance/finish/job-b.json: Access Denied'
    )
  })

  it('writes nothing when no job signed anything', async () => {
    const failed = result('a.zip', undefined, { job: { jobId: 'job-f', status: 'Failed' } })
    expect(await recordProvenance([failed], signConfig(), clients, CONTEXT)).toBeUndefined()
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0)
    expect(fs.existsSync(path.join(workspace, 'signed', 'manifest.json'))).toBe(false)
    expect(outputs).toEqual({})
    expect(failed.error).toBeUndefined()
  })

  it('writes the manifest but no S3 record outside a GitHub run, and says so', async () => {
    const written = await recordProvenance([result('a.zip', 'job-a')], signConfig(), clients, {
      ...CONTEXT,
      repository: '',
      commit: ''
    })
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0)
    expect(written).toBe(path.join(workspace, 'signed', 'manifest.json'))
    expect(fs.existsSync(path.join(workspace, 'signed', 'manifest.json'))).toBe(true)
    expect(errors[0]).toContain('provenance records were not written to S3')
  })

  it('refuses to overwrite an artifact signed into output-dir/manifest.json', async () => {
    s3Mock.on(PutObjectCommand).resolves({})
    const clash = result('manifest.json', 'job-m', {
      signedPath: path.join(workspace, 'signed', 'manifest.json')
    })
    fs.writeFileSync(clash.signedPath as string, 'the signed artifact')
    // Not returned either: release-upload must not attach the artifact as the manifest.
    expect(await recordProvenance([clash], signConfig(), clients, CONTEXT)).toBeUndefined()
    expect(fs.readFileSync(clash.signedPath as string, 'utf8')).toBe('the signed artifact')
    expect(clash.error?.message).toContain('the manifest could not be written')
    expect(outputs).not.toHaveProperty('manifest-path')
  })
})
