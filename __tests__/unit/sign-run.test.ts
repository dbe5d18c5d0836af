import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { Readable } from 'node:stream'
import {
  GetBucketVersioningCommand,
  HeadBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException
} from '@aws-sdk/client-s3'
import {
  DescribeSigningJobCommand,
  GetSigningPlatformCommand,
  GetSigningProfileCommand,
  SignerClient,
  StartSigningJobCommand
} from '@aws-sdk/client-signer'
import { mockClient } from 'aws-sdk-client-mock'
import { AwsClients } from '../../src/aws'
import { SignConfig } from '../../src/config'
import { RunContext } from '../../src/context'
import { PartialFailureError, PreflightError } from '../../src/errors'
import { runSign } from '../../src/sign/run'
import { makeWorkspace, parseOutputFile } from '../../scripts/run-action'
import { lambdaZip } from '../../emulator/testing'

const s3Mock = mockClient(S3Client)
const signerMock = mockClient(SignerClient)
const clients: AwsClients = {
  s3: new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
  signer: new SignerClient({ region: 'eu-west-1' }),
  region: 'eu-west-1'
}
const CONTEXT: RunContext = {
  repository: 'acme/firmware',
  commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  ref: 'refs/tags/v1.2.3',
  workflow: 'release',
  runId: '1001',
  runAttempt: '1',
  actor: 'release-bot',
  serverUrl: 'https://github.com'
}
const EXPIRES = new Date('2038-02-23T16:00:00Z')
/** A job's life, and the signed version Signer wrote during it (LastModified between the two). */
const LIFE = {
  createdAt: new Date('2026-11-23T10:00:00.500Z'),
  completedAt: new Date('2026-11-23T10:00:03.200Z')
}
const SIGNED_AT = new Date('2026-11-23T10:00:03.000Z')
/** SHA-256 of dist/a.zip (a zip of 'alpha'): its source key and the version the PutObject mock gives it. */
const A_SHA = createHash('sha256').update(lambdaZip('alpha')).digest('hex')

let workspace: string
let runnerDir: string
let stdout: string
const env = { ...process.env }

beforeAll(() => {
  workspace = makeWorkspace({
    'dist/a.zip': lambdaZip('alpha'),
    'dist/b.zip': lambdaZip('bravo'),
    'dist/c.zip': lambdaZip('charlie'),
    'copy/a.zip': lambdaZip('alpha')
  })
  runnerDir = makeWorkspace({ output: '', summary: '' })
  // core.summary keeps the first path it sees: one summary file for the whole file, emptied per test.
  process.env.GITHUB_STEP_SUMMARY = path.join(runnerDir, 'summary')
  process.env.GITHUB_OUTPUT = path.join(runnerDir, 'output')
})
afterAll(() => {
  process.env = env
  fs.rmSync(workspace, { recursive: true, force: true })
  fs.rmSync(runnerDir, { recursive: true, force: true })
})

beforeEach(() => {
  fs.writeFileSync(path.join(runnerDir, 'output'), '')
  fs.writeFileSync(path.join(runnerDir, 'summary'), '')
  fs.rmSync(path.join(workspace, 'signed'), { recursive: true, force: true })
  stdout = ''
  jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    stdout += chunk.toString()
    return true
  })
  s3Mock.reset()
  signerMock.reset()
  let jobs = 0
  const jobIdByToken = new Map<string, string>()
  signerMock.on(GetSigningProfileCommand).resolves({ status: 'Active', platformId: 'AWSLambda-SHA384-ECDSA' })
  signerMock.on(GetSigningPlatformCommand).resolves({ maxSizeInMB: 250 })
  s3Mock.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' })
  s3Mock.on(HeadBucketCommand).resolves({ BucketRegion: 'eu-west-1' })
  s3Mock
    .on(HeadObjectCommand)
    .rejects(
      new S3ServiceException({ name: 'NotFound', $fault: 'client', $metadata: { httpStatusCode: 404 } })
    )
  s3Mock
    .on(PutObjectCommand)
    .callsFake(input => ({ VersionId: `v-${path.basename(path.dirname(input.Key))}` }))
  signerMock.on(StartSigningJobCommand).callsFake(input => {
    const token = input.clientRequestToken as string
    if (!jobIdByToken.has(token)) jobIdByToken.set(token, `job-${++jobs}`)
    return { jobId: jobIdByToken.get(token), jobOwner: '123456789012' }
  })
  signerMock.on(DescribeSigningJobCommand).callsFake(input => ({
    jobId: input.jobId,
    jobOwner: '123456789012',
    status: 'Succeeded',
    signatureExpiresAt: EXPIRES,
    ...LIFE,
    signedObject: { s3: { bucketName: 'artifacts', key: `signed/${input.jobId}.zip` } }
  }))
  s3Mock.on(ListObjectVersionsCommand).callsFake(input => ({
    Versions: [{ Key: input.Prefix, VersionId: `sv-${path.basename(input.Prefix)}`, LastModified: SIGNED_AT }]
  }))
  s3Mock
    .on(GetObjectCommand)
    .callsFake(input => ({ Body: Readable.from([Buffer.from(`signed:${input.Key}`)]) }))
})
afterEach(() => jest.restoreAllMocks())

function config(overrides: Partial<SignConfig> = {}): SignConfig {
  return {
    mode: 'sign',
    region: 'eu-west-1',
    showSummary: true,
    workspace,
    patterns: ['dist/a.zip'],
    ifNoFilesFound: 'error',
    profileName: 'release_signing',
    sourceBucket: 'artifacts',
    sourcePrefix: 'unsigned/',
    destinationBucket: 'artifacts',
    destinationPrefix: 'signed/',
    outputDir: path.join(workspace, 'signed'),
    timeoutSeconds: 60,
    wait: true,
    download: true,
    maxConcurrency: 4,
    ...overrides
  }
}

const outputs = (): Record<string, string> =>
  parseOutputFile(fs.readFileSync(process.env.GITHUB_OUTPUT ?? '', 'utf8'))
const summary = (): string => fs.readFileSync(process.env.GITHUB_STEP_SUMMARY ?? '', 'utf8')
/** S3 calls other than the provenance records' PutObjects, which come after every artifact is done. */
const artifactS3Calls = () =>
  s3Mock
    .calls()
    .filter(call => !String((call.args[0].input as { Key?: string }).Key).includes('/provenance/'))
const commandNames = (): string[] =>
  [...s3Mock.calls(), ...signerMock.calls()].map(call => call.args[0].constructor.name)

describe('runSign', () => {
  it('signs one artifact: outputs, downloaded file, summary and a log group', async () => {
    const results = await runSign(config(), clients, CONTEXT)
    expect(results).toHaveLength(1)
    const out = outputs()
    expect(out['job-id']).toBe('job-1')
    expect(out.status).toBe('Succeeded')
    expect(out['signed-path']).toBe(path.join(workspace, 'signed', 'dist', 'a.zip'))
    expect(out['signature-expires-at']).toBe('2038-02-23T16:00:00.000Z')
    expect(JSON.parse(out.jobs)).toHaveLength(1)
    expect(fs.readFileSync(path.join(workspace, 'signed/dist/a.zip'), 'utf8')).toBe('signed:signed/job-1.zip')
    expect(summary()).toContain('#/jobs/job-1">job-1</a>')
    expect(stdout).toContain('::group::dist/a.zip: job job-1 Succeeded')
  })

  it('checks everything before the first upload, in order, one artifact moving bytes at a time with max-concurrency 1', async () => {
    await runSign(config({ patterns: ['dist/a.zip', 'dist/b.zip'], maxConcurrency: 1 }), clients, CONTEXT)
    const s3Order = artifactS3Calls().map(call => {
      const command = call.args[0]
      const { Key, Prefix } = command.input as { Key?: string; Prefix?: string }
      return `${command.constructor.name} ${path.basename(Key ?? Prefix ?? '')}`
    })
    // Prepare (reuse check, upload) takes the one slot in turn, then finish (download): the jobs were
    // already Succeeded when first described, so neither artifact waits in between.
    expect(s3Order).toEqual([
      'HeadBucketCommand ',
      'GetBucketVersioningCommand ',
      'HeadObjectCommand a.zip',
      'PutObjectCommand a.zip',
      'HeadObjectCommand b.zip',
      'PutObjectCommand b.zip',
      // The version Signer wrote is read from S3 before its download.
      'ListObjectVersionsCommand job-1.zip',
      'GetObjectCommand job-1.zip',
      'ListObjectVersionsCommand job-2.zip',
      'GetObjectCommand job-2.zip'
    ])
    expect(commandNames().filter(name => name === 'StartSigningJobCommand')).toHaveLength(2)
    // The job already Succeeded when first described: nothing to watch, so one DescribeSigningJob per artifact.
    expect(commandNames().filter(name => name === 'DescribeSigningJobCommand')).toHaveLength(2)
  })

  it('never has more than max-concurrency artifacts moving bytes (uploading, downloading) at once', async () => {
    let inFlight = 0
    let peak = 0
    const moving = async <T>(work: () => T): Promise<T> => {
      inFlight++
      peak = Math.max(peak, inFlight)
      await new Promise(resolve => setTimeout(resolve, 20))
      inFlight--
      return work()
    }
    // Provenance records are a few hundred bytes of JSON, written as soon as a job starts: not counted.
    s3Mock
      .on(PutObjectCommand)
      .callsFake(input =>
        String(input.Key).includes('/provenance/')
          ? {}
          : moving(() => ({ VersionId: `v-${path.basename(path.dirname(input.Key))}` }))
      )
    s3Mock
      .on(GetObjectCommand)
      .callsFake(input => moving(() => ({ Body: Readable.from([Buffer.from(`signed:${input.Key}`)]) })))
    await runSign(config({ patterns: ['dist/*.zip', 'copy/*.zip'], maxConcurrency: 2 }), clients, CONTEXT)
    expect(peak).toBe(2)
    expect(s3Mock).toHaveReceivedCommandTimes(GetObjectCommand, 4)
  })

  it('waits for jobs without holding a slot: a job in progress does not hold back the next upload', async () => {
    // The first job stays InProgress until the second artifact is downloaded: with one slot, that can only
    // happen if waiting for job-1 holds no slot (else the run would time out).
    signerMock.on(DescribeSigningJobCommand).callsFake(input => {
      const done = input.jobId !== 'job-1' || s3Mock.commandCalls(GetObjectCommand).length > 0
      return {
        jobId: input.jobId,
        status: done ? 'Succeeded' : 'InProgress',
        ...LIFE,
        signedObject: { s3: { bucketName: 'artifacts', key: `signed/${input.jobId}.zip` } }
      }
    })
    await runSign(
      config({ patterns: ['dist/a.zip', 'dist/b.zip'], maxConcurrency: 1, timeoutSeconds: 5 }),
      clients,
      CONTEXT
    )
    const order = artifactS3Calls()
      .map(call => call.args[0])
      .filter(command => ['PutObjectCommand', 'GetObjectCommand'].includes(command.constructor.name))
      .map(
        command =>
          `${command.constructor.name} ${path.basename(String((command.input as { Key: string }).Key))}`
      )
    expect(order).toEqual([
      'PutObjectCommand a.zip',
      'PutObjectCommand b.zip',
      'GetObjectCommand job-2.zip',
      'GetObjectCommand job-1.zip'
    ])
    expect(JSON.parse(outputs().jobs).map((job: { status: string }) => job.status)).toEqual([
      'Succeeded',
      'Succeeded'
    ])
  })

  it('keeps going when one artifact fails, reports each, and fails at the end', async () => {
    s3Mock.on(PutObjectCommand).callsFake(input => {
      if (input.Key.endsWith('/b.zip'))
        throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' })
      return { VersionId: 'v1' }
    })
    const error = await runSign(config({ patterns: ['dist/*.zip'] }), clients, CONTEXT).catch(e => e)
    expect(error).toBeInstanceOf(PartialFailureError)
    expect(error.message).toBe('Signing failed for 1 of 3 artifacts: dist/b.zip (Access Denied)')
    expect(stdout).toContain('::error title=Signing dist/b.zip failed::Access Denied')
    const jobs = JSON.parse(outputs().jobs)
    expect(jobs.map((job: { path: string; status: string }) => [job.path, job.status])).toEqual([
      ['dist/a.zip', 'Succeeded'],
      ['dist/b.zip', 'NotStarted'],
      ['dist/c.zip', 'Succeeded']
    ])
    expect(outputs()).not.toHaveProperty('job-id')
    expect(summary()).toContain('1 failed')
    expect(fs.existsSync(path.join(workspace, 'signed/dist/c.zip'))).toBe(true)
  })

  it('sets the outputs of a Failed job before failing the step', async () => {
    signerMock
      .on(DescribeSigningJobCommand)
      .resolves({ jobId: 'job-1', status: 'Failed', statusReason: 'Source object is not a zip file' })
    const error = await runSign(config(), clients, CONTEXT).catch(e => e)
    expect(error).toBeInstanceOf(PartialFailureError)
    expect(error.message).toBe(
      'Signing failed for 1 of 1 artifact: dist/a.zip (Signing job job-1 failed: Source object is not a zip file)'
    )
    expect(outputs()).toMatchObject({ 'job-id': 'job-1', 'job-owner': '123456789012', status: 'Failed' })
    expect(s3Mock).not.toHaveReceivedCommand(GetObjectCommand)
  })

  it('fails at once when DescribeSigningJob is denied, naming the job, the call and the permission', async () => {
    signerMock.on(DescribeSigningJobCommand).rejects(
      Object.assign(new Error('not authorized to perform signer:DescribeSigningJob'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 }
      })
    )
    const error = await runSign(config(), clients, CONTEXT).catch(e => e)
    expect(error).toBeInstanceOf(PartialFailureError)
    expect(error.message).toBe(
      'Signing failed for 1 of 1 artifact: dist/a.zip (Could not read the status of signing job job-1: ' +
        'DescribeSigningJob failed with AccessDeniedException: not authorized to perform signer:DescribeSigningJob. ' +
        'It is not retried: DescribeSigningJob needs the permission signer:DescribeSigningJob)'
    )
    expect(signerMock).toHaveReceivedCommandTimes(DescribeSigningJobCommand, 1)
    expect(outputs()).toMatchObject({ 'job-id': 'job-1', status: 'InProgress' })
  })

  it('with wait: false, a denied DescribeSigningJob only leaves the status unknown', async () => {
    signerMock.on(DescribeSigningJobCommand).rejects(
      Object.assign(new Error('denied'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 }
      })
    )
    await runSign(config({ wait: false, download: false }), clients, CONTEXT)
    expect(outputs()).toMatchObject({ 'job-id': 'job-1', status: 'InProgress' })
    expect(stdout).toContain(
      'Could not read the status of job job-1 (AccessDeniedException: denied); it was started'
    )
  })

  it('stops at preflight: no upload, no job, no outputs', async () => {
    s3Mock.on(GetBucketVersioningCommand).resolves({ Status: 'Suspended' })
    await expect(runSign(config(), clients, CONTEXT)).rejects.toBeInstanceOf(PreflightError)
    expect(commandNames().sort()).toEqual([
      'GetBucketVersioningCommand',
      'GetSigningPlatformCommand',
      'GetSigningProfileCommand',
      'HeadBucketCommand'
    ])
    expect(outputs()).toEqual({})
  })

  it('with wait: false starts the job, reads its status once, downloads nothing', async () => {
    signerMock.on(DescribeSigningJobCommand).resolves({ jobId: 'job-1', status: 'InProgress' })
    await runSign(config({ wait: false, download: false }), clients, CONTEXT)
    expect(signerMock).toHaveReceivedCommandTimes(DescribeSigningJobCommand, 1)
    expect(s3Mock).not.toHaveReceivedCommand(GetObjectCommand)
    expect(outputs()).toMatchObject({ 'job-id': 'job-1', 'job-owner': '123456789012', status: 'InProgress' })
    expect(outputs()).not.toHaveProperty('signed-path')
  })

  it('with download: false waits but writes nothing locally but the manifest', async () => {
    await runSign(config({ download: false }), clients, CONTEXT)
    expect(outputs()).toMatchObject({ status: 'Succeeded', 'signed-key': 'signed/job-1.zip' })
    expect(outputs()).not.toHaveProperty('signed-path')
    expect(outputs()).not.toHaveProperty('signed-sha256')
    expect(fs.readdirSync(path.join(workspace, 'signed'))).toEqual(['manifest.json'])
    const manifest = JSON.parse(fs.readFileSync(path.join(workspace, 'signed/manifest.json'), 'utf8'))
    expect(manifest.jobs[0]).toMatchObject({ jobId: 'job-1', signedSha256: null })
    expect(stdout).toContain('the provenance records lack the SHA-256 of the signed files')
  })

  it('shares one upload and one job between identical files, and downloads each', async () => {
    await runSign(config({ patterns: ['dist/a.zip', 'copy/a.zip'] }), clients, CONTEXT)
    expect(artifactS3Calls().filter(call => call.args[0] instanceof PutObjectCommand)).toHaveLength(1)
    expect(signerMock).toHaveReceivedCommandTimes(StartSigningJobCommand, 1)
    const jobs = JSON.parse(outputs().jobs)
    expect(jobs.map((job: { jobId: string }) => job.jobId)).toEqual(['job-1', 'job-1'])
    expect(fs.existsSync(path.join(workspace, 'signed/copy/a.zip'))).toBe(true)
    expect(fs.existsSync(path.join(workspace, 'signed/dist/a.zip'))).toBe(true)
  })

  it('refuses a job handed back for its token that signs another object, and signs with its own', async () => {
    // job-1 answers the run's token but signs another key: someone started it first with the public token.
    signerMock.on(DescribeSigningJobCommand).callsFake(input => ({
      jobId: input.jobId,
      jobOwner: '123456789012',
      status: 'Succeeded',
      ...LIFE,
      profileName: 'release_signing',
      source: {
        s3:
          input.jobId === 'job-1'
            ? { bucketName: 'artifacts', key: 'unsigned/evil/a.zip', version: 'v-evil' }
            : { bucketName: 'artifacts', key: `unsigned/${A_SHA}/a.zip`, version: `v-${A_SHA}` }
      },
      signedObject: { s3: { bucketName: 'artifacts', key: `signed/${input.jobId}.zip` } }
    }))
    await runSign(config(), clients, CONTEXT)
    const tokens = signerMock
      .commandCalls(StartSigningJobCommand)
      .map(call => call.args[0].input.clientRequestToken)
    expect(tokens).toHaveLength(2)
    expect(tokens[1]).not.toBe(tokens[0])
    expect(outputs()['job-id']).toBe('job-2')
    expect(outputs()['client-request-token']).toBe(tokens[1])
    expect(stdout).toMatch(/::warning::Not adopted: signing job job-1 signs something else: source key/)
    expect(s3Mock.commandCalls(GetObjectCommand).map(call => call.args[0].input.Key)).not.toContain(
      'signed/job-1.zip'
    )
  })

  it("refuses a job of another profile version than the profile's current one (a rotation since)", async () => {
    signerMock
      .on(GetSigningProfileCommand)
      .resolves({ status: 'Active', platformId: 'AWSLambda-SHA384-ECDSA', profileVersion: 'Ver0000002' })
    signerMock.on(DescribeSigningJobCommand).callsFake(input => ({
      jobId: input.jobId,
      status: 'Succeeded',
      ...LIFE,
      profileVersion: input.jobId === 'job-1' ? 'Ver0000001' : 'Ver0000002',
      signedObject: { s3: { bucketName: 'artifacts', key: `signed/${input.jobId}.zip` } }
    }))
    await runSign(config(), clients, CONTEXT)
    expect(outputs()['job-id']).toBe('job-2')
    expect(stdout).toContain(
      "Not adopted: signing job job-1 signs something else: profile version 'Ver0000001' (this run asked for 'Ver0000002')"
    )
  })

  it('fails naming both jobs when the fallback token is taken too, and downloads nothing', async () => {
    signerMock.on(DescribeSigningJobCommand).callsFake(input => ({
      jobId: input.jobId,
      status: 'Succeeded',
      ...LIFE,
      source: { s3: { bucketName: 'artifacts', key: 'unsigned/evil/a.zip', version: 'v-evil' } },
      signedObject: { s3: { bucketName: 'artifacts', key: `signed/${input.jobId}.zip` } }
    }))
    await expect(runSign(config(), clients, CONTEXT)).rejects.toThrow(
      /signing job job-1 signs something else.*signing job job-2 signs something else/
    )
    expect(s3Mock).toHaveReceivedCommandTimes(GetObjectCommand, 0)
    expect(JSON.parse(outputs().jobs)[0].signedVersionId).toBeNull()
  })

  it('downloads the version Signer wrote, not a later overwrite of the signed key', async () => {
    s3Mock.on(ListObjectVersionsCommand).callsFake(input => ({
      Versions: [
        { Key: input.Prefix, VersionId: 'v-overwrite', LastModified: new Date('2026-11-23T11:00:00Z') },
        { Key: input.Prefix, VersionId: 'v-signer', LastModified: SIGNED_AT },
        { Key: `${input.Prefix}.sig`, VersionId: 'v-other-key', LastModified: SIGNED_AT }
      ]
    }))
    await runSign(config(), clients, CONTEXT)
    expect(outputs()['signed-version-id']).toBe('v-signer')
    expect(s3Mock.commandCalls(GetObjectCommand)[0].args[0].input).toMatchObject({
      Key: 'signed/job-1.zip',
      VersionId: 'v-signer'
    })
  })

  it('skips the summary with show-summary: false', async () => {
    await runSign(config({ showSummary: false }), clients, CONTEXT)
    expect(summary()).toBe('')
  })
})
