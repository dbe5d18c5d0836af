import { ChildProcess, spawn } from 'node:child_process'
import * as path from 'node:path'
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3'
import { PutSigningProfileCommand, SignerClient } from '@aws-sdk/client-signer'
import { EmulatorHandle, startEmulator } from '../emulator/server'
import { freePort, waitForHttp } from './ports'
import { pythonTools } from './python-tools'
import { S3Proxy, startS3WithoutListBucket } from './s3-without-list-bucket'

/** The local AWS: moto's S3 server and the Signer emulator, both on 127.0.0.1. */
export interface LocalStack {
  region: string
  accountId: string
  s3Endpoint: string
  signerEndpoint: string
  /** A versioned bucket, created empty. */
  bucket: string
  /** An Active signing profile on `platformId`. */
  profileName: string
  profileVersion: string
  s3: S3Client
  signer: SignerClient
  emulator: EmulatorHandle
  /**
   * Environment for a process that should talk to this stack (fake credentials, endpoints, region). With
   * `withoutListBucket`, its S3 endpoint answers as S3 does to a caller without s3:ListBucket.
   */
  env: Record<string, string>
  stop(): Promise<void>
}

export interface StackOptions {
  jobDurationMs?: number
  platformId?: string
  bucket?: string
  profileName?: string
  accountId?: string
  emulatorPort?: number
  s3Port?: number
  stateFile?: string
  /**
   * The action's S3 endpoint (`env`) answers as S3 does to a role without s3:ListBucket: 403 for a missing
   * key, for HeadBucket and for ListObjects (see s3-without-list-bucket.ts). `s3` and the emulator keep
   * full access.
   */
  withoutListBucket?: boolean
  /** Where moto's and the emulator's logs go; silent by default. */
  log?: (line: string) => void
}

const REGION = 'us-east-1'
const ACCOUNT_ID = '123456789012'
const CREDENTIALS = { accessKeyId: 'AKIDLOCALSTACK', secretAccessKey: 'local-stack-secret' }

export async function startStack(options: StackOptions = {}): Promise<LocalStack> {
  const accountId = options.accountId ?? ACCOUNT_ID
  const moto = await startMoto(options.s3Port ?? (await freePort()), options.log)
  let emulator: EmulatorHandle | undefined
  let proxy: S3Proxy | undefined
  try {
    if (options.withoutListBucket) proxy = await startS3WithoutListBucket(moto.url)
    emulator = await startEmulator({
      host: '127.0.0.1',
      port: options.emulatorPort ?? 0,
      s3Endpoint: moto.url,
      region: REGION,
      accountId,
      jobDurationMs: options.jobDurationMs ?? 200,
      stateFile: options.stateFile
    })
    const clientConfig = { region: REGION, credentials: CREDENTIALS }
    const s3 = new S3Client({ ...clientConfig, endpoint: moto.url, forcePathStyle: true })
    const signer = new SignerClient({ ...clientConfig, endpoint: emulator.url })

    const bucket = options.bucket ?? 'artifacts'
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } })
    )
    const profileName = options.profileName ?? 'release_signing'
    const platformId = options.platformId ?? 'AWSLambda-SHA384-ECDSA'
    const profile = await signer.send(
      new PutSigningProfileCommand({
        profileName,
        platformId,
        // Signer requires an ACM certificate for the IoT and FreeRTOS platforms; the emulator records it
        // and signs with its own generated key.
        ...(platformId === 'AWSLambda-SHA384-ECDSA'
          ? {}
          : {
              signingMaterial: {
                certificateArn: `arn:aws:acm:${REGION}:${accountId}:certificate/00000000-0000-0000-0000-000000000000`
              }
            })
      })
    )

    const running = emulator
    const runningProxy = proxy
    return {
      region: REGION,
      accountId,
      s3Endpoint: moto.url,
      signerEndpoint: running.url,
      bucket,
      profileName,
      profileVersion: profile.profileVersion ?? '',
      s3,
      signer,
      emulator: running,
      env: {
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        AWS_ENDPOINT_URL_S3: proxy?.url ?? moto.url,
        AWS_ENDPOINT_URL_SIGNER: running.url,
        // moto serves Lambda on the same server as S3 (verify mode reads the functions of the Region).
        AWS_ENDPOINT_URL_LAMBDA: moto.url,
        AWS_EC2_METADATA_DISABLED: 'true'
      },
      async stop() {
        s3.destroy()
        signer.destroy()
        await running.close()
        await runningProxy?.close()
        await moto.stop()
      }
    }
  } catch (error) {
    await emulator?.close()
    await proxy?.close()
    await moto.stop()
    throw error
  }
}

interface Moto {
  url: string
  stop(): Promise<void>
}

async function startMoto(port: number, log?: (line: string) => void): Promise<Moto> {
  const script = path.join(__dirname, 'moto_server.py')
  // stdin stays a pipe we hold: moto_server.py exits when it closes, so no server outlives this process.
  const { python } = await pythonTools()
  const child: ChildProcess = spawn(python, [script, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['pipe', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => log?.(chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000)
    log?.(chunk.toString())
  })
  let exited = false
  child.on('exit', () => (exited = true))
  child.on('error', error => {
    exited = true
    stderr += `\n${error.message}`
  })
  const killOnExit = (): void => {
    child.kill('SIGKILL')
  }
  process.once('exit', killOnExit)

  const url = `http://127.0.0.1:${port}`
  try {
    await waitForHttp(`${url}/moto-api/`, 30000, () => !exited)
  } catch (error) {
    child.kill('SIGKILL')
    const hint = /pip install/.test(stderr)
      ? stderr.trim()
      : `moto's server failed to start: ${stderr.trim()}`
    throw new Error(
      `${(error as Error).message}\n${hint}\nIt needs python3 with moto[server]: pip install 'moto[server]'`
    )
  }
  return {
    url,
    stop: () =>
      new Promise<void>(resolve => {
        process.removeListener('exit', killOnExit)
        if (exited) return resolve()
        child.once('exit', () => resolve())
        child.stdin?.end()
        child.kill('SIGTERM')
      })
  }
}
