import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListFunctionsCommand,
  ResourceNotFoundException as LambdaNotFound
} from '@aws-sdk/client-lambda'
import {
  AccessDeniedException,
  DescribeSigningJobCommand,
  GetRevocationStatusCommand,
  GetSigningProfileCommand,
  SignerClient
} from '@aws-sdk/client-signer'
import { mockClient } from 'aws-sdk-client-mock'
import { VerifyConfig } from '../../src/config'
import { InputError, PartialFailureError } from '../../src/errors'
import { runVerify } from '../../src/verify/run'
import { captureRun, mockedClients } from '../support/run-harness'

const NOW = new Date('2026-12-01T00:00:00Z')
const OWNER = '123456789012'
const PROFILE_ARN = `arn:aws:signer:us-east-1:${OWNER}:/signing-profiles/release_signing`
const jobArn = (jobId: string): string => `arn:aws:signer:us-east-1:${OWNER}:/signing-jobs/${jobId}`

const signer = mockClient(SignerClient)
const lambda = mockClient(LambdaClient)
const clients = { ...mockedClients(), lambda: new LambdaClient({ region: 'us-east-1' }) }
const captured = captureRun()

function config(overrides: Partial<VerifyConfig> = {}): VerifyConfig {
  return { mode: 'verify', workspace: os.tmpdir(), jobIds: [], showSummary: false, ...overrides }
}

function described(jobId: string, profileVersion = 'Ver0000001') {
  return {
    jobId,
    jobOwner: OWNER,
    status: 'Succeeded' as const,
    profileName: 'release_signing',
    profileVersion,
    platformId: 'AWSLambda-SHA384-ECDSA',
    createdAt: new Date('2026-11-21T10:00:00Z'),
    completedAt: new Date('2026-11-21T10:00:02Z'),
    signatureExpiresAt: new Date('2036-11-21T10:00:00Z')
  }
}

beforeEach(() => {
  signer.reset()
  lambda.reset()
  signer.on(DescribeSigningJobCommand).callsFake(input => described(input.jobId))
  signer.on(GetSigningProfileCommand).resolves({ profileVersion: 'Ver0000001', status: 'Active' })
})

const run = (cfg: VerifyConfig) => runVerify(cfg, clients, { now: () => NOW })

describe('runVerify', () => {
  it('reads each job and each profile once, with the exact inputs, and asks no revocation status it does not need', async () => {
    const record = await run(config({ jobIds: ['job-a', 'job-b'] }))
    expect(record.jobs.map(job => job.verdict)).toEqual(['valid', 'valid'])
    expect(signer).toHaveReceivedCommandWith(DescribeSigningJobCommand, { jobId: 'job-a' })
    expect(signer).toHaveReceivedCommandTimes(GetSigningProfileCommand, 1)
    expect(signer).toHaveReceivedCommandWith(GetSigningProfileCommand, {
      profileName: 'release_signing',
      profileOwner: OWNER
    })
    expect(signer).toHaveReceivedCommandTimes(GetRevocationStatusCommand, 0)
    expect(captured.outputs.verdict).toBe('valid')
    expect(captured.log).toContain('No trusted-profile given')
  })

  it('asks GetRevocationStatus about a job of an older profile version, with the signing time', async () => {
    signer.on(DescribeSigningJobCommand).callsFake(input => described(input.jobId, 'OldVersion'))
    signer.on(GetRevocationStatusCommand).resolves({
      revokedEntities: [`${PROFILE_ARN}/OldVersion`]
    })
    await expect(run(config({ jobIds: ['job-a'] }))).rejects.toThrow(PartialFailureError)
    expect(signer).toHaveReceivedCommandWith(GetRevocationStatusCommand, {
      signatureTimestamp: new Date('2026-11-21T10:00:02Z'),
      platformId: 'AWSLambda-SHA384-ECDSA',
      profileVersionArn: `${PROFILE_ARN}/OldVersion`,
      jobArn: jobArn('job-a'),
      certificateHashes: []
    })
    expect(JSON.parse(captured.outputs['invalid-job-ids'])).toEqual(['job-a'])
    expect(captured.log).toContain(
      '::error::Signing job job-a is invalid: profile-revocation: GetRevocationStatus'
    )
  })

  it("lists the Region's functions page by page and reads a job several functions share once", async () => {
    lambda
      .on(ListFunctionsCommand)
      .resolvesOnce({
        Functions: [
          {
            FunctionName: 'b',
            SigningJobArn: jobArn('job-a'),
            SigningProfileVersionArn: `${PROFILE_ARN}/Ver0000001`
          }
        ],
        NextMarker: 'page2'
      })
      .resolvesOnce({
        Functions: [
          {
            FunctionName: 'a',
            SigningJobArn: jobArn('job-a'),
            SigningProfileVersionArn: `${PROFILE_ARN}/Ver0000001`
          },
          { FunctionName: 'c' }
        ]
      })
    const record = await run(config({ functions: { kind: 'all' } }))
    expect(lambda).toHaveReceivedCommandTimes(ListFunctionsCommand, 2)
    expect(lambda).toHaveReceivedNthCommandWith(2, ListFunctionsCommand, { Marker: 'page2' })
    expect(signer).toHaveReceivedCommandTimes(DescribeSigningJobCommand, 1)
    expect(record.functions.map(fn => [fn.name, fn.verdict])).toEqual([
      ['a', 'valid'],
      ['b', 'valid'],
      ['c', 'unsigned']
    ])
    expect(JSON.parse(captured.outputs.functions)[0]).toEqual({
      name: 'a',
      job: 'job-a',
      profileVersion: `${PROFILE_ARN}/Ver0000001`,
      verdict: 'valid',
      reasons: []
    })
  })

  it('reads named functions with GetFunctionConfiguration; a missing one is invalid', async () => {
    lambda.on(GetFunctionConfigurationCommand, { FunctionName: 'api:live' }).resolves({
      FunctionName: 'api',
      SigningJobArn: jobArn('job-a'),
      SigningProfileVersionArn: `${PROFILE_ARN}/Ver0000001`
    })
    lambda
      .on(GetFunctionConfigurationCommand, { FunctionName: 'gone' })
      .rejects(new LambdaNotFound({ message: 'Function not found', $metadata: {} }))
    await expect(run(config({ functions: { kind: 'named', names: ['api:live', 'gone'] } }))).rejects.toThrow(
      /Verification failed: function\(s\) "gone" invalid/
    )
  })

  it('an unreadable job is invalid, not an exception', async () => {
    signer
      .on(DescribeSigningJobCommand)
      .rejects(new AccessDeniedException({ message: 'denied', $metadata: {} }))
    await expect(run(config({ jobIds: ['job-a'] }))).rejects.toThrow(/signing job\(s\) job-a invalid/)
    expect(JSON.parse(captured.outputs.jobs)[0].reasons[0]).toBe(
      'status: DescribeSigningJob failed: AccessDeniedException: denied'
    )
  })
})

describe('the manifest', () => {
  let workspace: string
  beforeEach(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-ws-'))
    fs.mkdirSync(path.join(workspace, 'signed'))
  })
  afterEach(() => fs.rmSync(workspace, { recursive: true, force: true }))

  const write = (manifest: unknown): string => {
    const file = path.join(workspace, 'signed/manifest.json')
    fs.writeFileSync(file, typeof manifest === 'string' ? manifest : JSON.stringify(manifest))
    return file
  }
  const job = (artifactPaths: string[]) => ({
    jobId: 'job-a',
    jobOwner: OWNER,
    profileName: 'release_signing',
    profileVersion: 'Ver0000001',
    signedSha256: null,
    signed: null,
    artifactPaths
  })

  it.each([
    ['not JSON', '{', /is not JSON/],
    ['without jobs', { schemaVersion: 1 }, /has no "jobs" list/],
    [
      'with an artifact path leaving its directory',
      { jobs: [job(['../../etc/passwd'])] },
      /leaves the manifest's directory/
    ],
    ['with a bad job id', { jobs: [{ ...job([]), jobId: 'a b' }] }, /jobId is not a signing job id/]
  ])('refuses a manifest %s before any AWS call', async (_name, manifest, message) => {
    const manifestPath = write(manifest)
    const error = await run(config({ workspace, manifestPath })).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toMatch(message)
    expect(signer.calls()).toHaveLength(0)
  })

  it('refuses a signed file that a symbolic link puts outside the workspace', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-outside-'))
    fs.symlinkSync(outside, path.join(workspace, 'signed/dist'))
    const manifestPath = write({ jobs: [job(['dist/app.zip'])] })
    await expect(run(config({ workspace, manifestPath }))).rejects.toThrow(/is outside the workspace/)
    expect(signer.calls()).toHaveLength(0)
    fs.rmSync(outside, { recursive: true, force: true })
  })
})
