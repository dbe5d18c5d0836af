/**
 * Clients we did not write drive the emulator: the AWS CLI (botocore) gets the same answers as the SDK.
 * And the emulator's own CLI starts, prints its URL, keeps state and stops cleanly on SIGTERM.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { promisify } from 'node:util'
import {
  DescribeSigningJobCommand,
  GetSigningProfileCommand,
  ListSigningJobsCommand,
  PutSigningProfileCommand,
  StartSigningJobCommand
} from '@aws-sdk/client-signer'
import { putSource, signerClientAs, waitForJob, lambdaZip } from '../../emulator/testing'
import { pythonTools } from '../../scripts/python-tools'
import { LocalStack, startStack } from '../../scripts/stack'

const run = promisify(execFile)
const ROOT = path.resolve(__dirname, '..', '..')

let stack: LocalStack
let awsPath: string

beforeAll(async () => {
  // The AWS CLI from PATH, or installed into the project's virtualenv when the machine has none.
  awsPath = (await pythonTools()).aws
  stack = await startStack({ jobDurationMs: 50 })
})

afterAll(async () => {
  await stack?.stop()
})

interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `aws signer ...` against the emulator, asynchronously: the emulator answers from this process. */
async function awsSigner(...args: string[]): Promise<CliResult> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: os.tmpdir(),
    AWS_ACCESS_KEY_ID: 'AKIDAWSCLI',
    AWS_SECRET_ACCESS_KEY: 'aws-cli-secret',
    AWS_DEFAULT_REGION: stack.region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: ''
  }
  try {
    const { stdout, stderr } = await run(
      awsPath,
      ['signer', ...args, '--endpoint-url', stack.signerEndpoint, '--output', 'json'],
      { env, timeout: 30_000 }
    )
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    return {
      code: typeof failed.code === 'number' ? failed.code : -1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? ''
    }
  }
}

async function awsJson<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  const result = await awsSigner(...args)
  if (result.code !== 0)
    throw new Error(`aws signer ${args.join(' ')} failed (${result.code}): ${result.stderr}`)
  return JSON.parse(result.stdout) as T
}

const TIMESTAMPS = new Set([
  'createdAt',
  'completedAt',
  'signatureExpiresAt',
  'revokedAt',
  'revocationEffectiveFrom'
])

/**
 * The SDK's output (without $metadata) or the CLI's JSON, with every timestamp as epoch milliseconds: the SDK
 * gives Dates; AWS CLI v1 prints epoch seconds, v2 ISO-8601 strings.
 */
function normalize(value: unknown, key = ''): unknown {
  if (value instanceof Date) return value.getTime()
  if (TIMESTAMPS.has(key) && typeof value === 'number') return Math.round(value * 1000)
  if (TIMESTAMPS.has(key) && typeof value === 'string') return Date.parse(value)
  if (Array.isArray(value)) return value.map(item => normalize(item))
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([name]) => name !== '$metadata')
        .map(([name, v]) => [name, normalize(v, name)])
    )
  return value
}

describe('the AWS CLI', () => {
  test('put-signing-profile and get-signing-profile agree with the SDK', async () => {
    const put = await awsJson(
      'put-signing-profile',
      '--profile-name',
      'cli_profile',
      '--platform-id',
      'AWSLambda-SHA384-ECDSA'
    )
    expect(put.profileVersionArn).toBe(`${put.arn}/${put.profileVersion}`)
    const sdk = await stack.signer.send(new GetSigningProfileCommand({ profileName: 'cli_profile' }))
    expect(sdk.profileVersion).toBe(put.profileVersion)
    expect(normalize(await awsJson('get-signing-profile', '--profile-name', 'cli_profile'))).toEqual(
      normalize(sdk)
    )
    // And the other way round: a profile the SDK made reads the same through the CLI.
    const sdkPut = await stack.signer.send(
      new PutSigningProfileCommand({ profileName: 'cli_sdk_profile', platformId: 'AWSLambda-SHA384-ECDSA' })
    )
    expect((await awsJson('get-signing-profile', '--profile-name', 'cli_sdk_profile')).profileVersion).toBe(
      sdkPut.profileVersion
    )
  })

  test('start-signing-job, describe-signing-job and revoke-signature give the same results as the SDK', async () => {
    await awsJson(
      'put-signing-profile',
      '--profile-name',
      'cli_jobs',
      '--platform-id',
      'AWSLambda-SHA384-ECDSA'
    )
    const version = await putSource(stack.s3, stack.bucket, 'cli/app.zip', lambdaZip('cli payload'))
    const request = {
      source: { s3: { bucketName: stack.bucket, key: 'cli/app.zip', version } },
      destination: { s3: { bucketName: stack.bucket, prefix: 'cli/signed/' } }
    }
    const started = await awsJson<{ jobId: string; jobOwner: string }>(
      'start-signing-job',
      '--profile-name',
      'cli_jobs',
      '--client-request-token',
      'cli-token-1',
      '--source',
      JSON.stringify(request.source),
      '--destination',
      JSON.stringify(request.destination)
    )
    expect(started.jobOwner).toBe(stack.accountId)
    // The same token through the SDK is the same job: idempotency does not depend on the client.
    const again = await stack.signer.send(
      new StartSigningJobCommand({ ...request, profileName: 'cli_jobs', clientRequestToken: 'cli-token-1' })
    )
    expect(again.jobId).toBe(started.jobId)

    const sdkJob = await waitForJob(stack.signer, started.jobId)
    expect(sdkJob.status).toBe('Succeeded')
    const cliJob = await awsJson('describe-signing-job', '--job-id', started.jobId)
    expect(normalize(cliJob)).toEqual(normalize(sdkJob))
    expect(cliJob.signedObject).toEqual({
      s3: { bucketName: stack.bucket, key: `cli/signed/${started.jobId}.zip` }
    })

    const revoked = await awsSigner(
      'revoke-signature',
      '--job-id',
      started.jobId,
      '--reason',
      'revoked from the CLI'
    )
    expect(revoked).toMatchObject({ code: 0, stdout: '' })
    const sdkAfter = await stack.signer.send(new DescribeSigningJobCommand({ jobId: started.jobId }))
    expect(sdkAfter.revocationRecord).toMatchObject({
      reason: 'revoked from the CLI',
      revokedBy: `arn:aws:iam::${stack.accountId}:user/emulator`
    })
    expect(normalize(await awsJson('describe-signing-job', '--job-id', started.jobId))).toEqual(
      normalize(sdkAfter)
    )

    // Query members as botocore sends them: a boolean, an ISO-8601 time, an enum.
    const cliList = await awsJson<{ jobs: { jobId: string; isRevoked: boolean }[] }>(
      'list-signing-jobs',
      '--is-revoked',
      '--status',
      'Succeeded',
      '--signature-expires-after',
      '2030-01-01T00:00:00Z'
    )
    const sdkList = await stack.signer.send(
      new ListSigningJobsCommand({
        isRevoked: true,
        status: 'Succeeded',
        signatureExpiresAfter: new Date('2030-01-01T00:00:00Z')
      })
    )
    expect(cliList.jobs.map(job => job.jobId)).toEqual(sdkList.jobs?.map(job => job.jobId))
    expect(cliList.jobs.map(job => job.jobId)).toContain(started.jobId)
  })

  test('revoke-signing-profile sends effectiveTime in the body as the SDK does', async () => {
    const put = await awsJson(
      'put-signing-profile',
      '--profile-name',
      'cli_revoke',
      '--platform-id',
      'AWSLambda-SHA384-ECDSA'
    )
    const result = await awsSigner(
      'revoke-signing-profile',
      '--profile-name',
      'cli_revoke',
      '--profile-version',
      String(put.profileVersion),
      '--reason',
      'compromised',
      '--effective-time',
      '2026-01-02T03:04:05Z'
    )
    expect(result.code).toBe(0)
    const sdk = await stack.signer.send(new GetSigningProfileCommand({ profileName: 'cli_revoke' }))
    expect(sdk.status).toBe('Revoked')
    expect(sdk.revocationRecord?.revocationEffectiveFrom?.toISOString()).toBe('2026-01-02T03:04:05.000Z')
  })

  test("errors reach the CLI by name, with the emulator's message", async () => {
    const missing = await awsSigner('get-signing-profile', '--profile-name', 'cli_missing')
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toContain(
      'An error occurred (ResourceNotFoundException) when calling the GetSigningProfile operation'
    )
    expect(missing.stderr).toContain('cli_missing')
    const tooLong = await awsSigner('revoke-signature', '--job-id', 'any', '--reason', 'r'.repeat(501))
    expect(tooLong.code).not.toBe(0)
    expect(tooLong.stderr).toContain('(ValidationException)')
    expect(tooLong.stderr).toContain("at 'reason' failed to satisfy constraint")
  })
})

describe("the emulator's own CLI", () => {
  /** Starts `tsx emulator/cli.ts` (what `npm run emulator` runs) and resolves with its URL once printed. */
  function startCli(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the emulator CLI printed no URL: ${output}`)), 20_000)
      const onData = (chunk: Buffer): void => {
        output += chunk.toString()
        const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
        if (url) {
          clearTimeout(timer)
          resolve({ child, url, output: () => output })
        }
      }
      child.stdout?.on('data', onData)
      child.stderr?.on('data', onData)
      child.on('exit', code => {
        clearTimeout(timer)
        reject(new Error(`the emulator CLI exited (${code}) before it listened: ${output}`))
      })
    })
  }

  const exited = (child: ChildProcess): Promise<number | null> =>
    child.exitCode !== null
      ? Promise.resolve(child.exitCode)
      : new Promise(resolve => child.once('exit', code => resolve(code)))

  test('prints its URL, serves the API, saves its state and exits 0 on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-cli-'))
    const stateFile = path.join(dir, 'state.json')
    const { child, url, output } = await startCli([
      '--port',
      '0',
      '--s3-endpoint',
      stack.s3Endpoint,
      '--account-id',
      '444455556666',
      '--state',
      stateFile
    ])
    try {
      const signer = signerClientAs(url, stack.region, 'AKIDCLIPROCESS')
      const put = await signer.send(
        new PutSigningProfileCommand({ profileName: 'cli_process', platformId: 'AWSLambda-SHA384-ECDSA' })
      )
      signer.destroy()
      expect(put.arn).toContain(':444455556666:/signing-profiles/cli_process')
      child.kill('SIGTERM')
      expect(await exited(child)).toBe(0)
      expect(output()).toContain('SIGTERM: stopping the emulator')
      const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { profiles: { profileName: string }[] }
      expect(state.profiles.map(p => p.profileName)).toEqual(['cli_process'])
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a bad argument exits 2 with a message naming it and the usage', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', '--port', 'abc'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    expect(await exited(child)).toBe(2)
    expect(stderr).toContain("--port must be an integer from 0 to 65535, got 'abc'")
    expect(stderr).toContain('Usage: npm run emulator')
  })
})
