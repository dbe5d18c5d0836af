/**
 * A state file keeps profiles (with their keys), jobs and idempotency tokens across an emulator restart;
 * a job that was InProgress when the emulator stopped finishes after it starts again.
 */
import * as crypto from 'node:crypto'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import {
  DescribeSigningJobCommand,
  GetSigningProfileCommand,
  ListProfilePermissionsCommand,
  AddProfilePermissionCommand,
  RevokeSignatureCommand,
  SignerClient,
  StartSigningJobCommand
} from '@aws-sdk/client-signer'
import { SignedObjectEnvelope } from '../../emulator/crypto/envelope'
import { startEmulator } from '../../emulator/server'
import { putSource, signerClientAs, waitForJob, lambdaZip } from '../../emulator/testing'
import { LocalStack, startStack } from '../../scripts/stack'

let stack: LocalStack
let dir: string
let stateFile: string

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emulator-state-'))
  stateFile = path.join(dir, 'state.json')
  stack = await startStack({ jobDurationMs: 50, stateFile, profileName: 'state_profile' })
})

afterAll(async () => {
  await stack?.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

test('a restarted emulator knows the profiles, keys, jobs, revocations, permissions and tokens it had', async () => {
  const { signer, s3, bucket } = stack
  await signer.send(
    new AddProfilePermissionCommand({
      profileName: 'state_profile',
      action: 'signer:StartSigningJob',
      principal: '111122223333',
      statementId: 'ci'
    })
  )
  const certificateBefore = await stack.emulator.admin.certificate('state_profile')
  const version = await putSource(s3, bucket, 'state/app.zip', lambdaZip('state payload'))
  const request = {
    profileName: 'state_profile',
    clientRequestToken: 'state-token',
    source: { s3: { bucketName: bucket, key: 'state/app.zip', version } },
    destination: { s3: { bucketName: bucket, prefix: 'state/' } }
  }
  const done = await signer.send(new StartSigningJobCommand(request))
  const finished = await waitForJob(signer, done.jobId as string)
  await signer.send(new RevokeSignatureCommand({ jobId: done.jobId, reason: 'before restart' }))
  // A job still running when the emulator stops.
  await stack.emulator.admin.configure({ jobDurationMs: 1500 })
  const pending = await signer.send(
    new StartSigningJobCommand({ ...request, clientRequestToken: 'pending-token' })
  )
  await stack.emulator.close()
  expect(JSON.parse(fs.readFileSync(stateFile, 'utf8')).format).toBe('aws-signer-emulator/state/v1')

  const restarted = await startEmulator({ s3Endpoint: stack.s3Endpoint, stateFile, jobDurationMs: 50 })
  const client: SignerClient = signerClientAs(restarted.url, stack.region, 'AKIDRESTART')
  try {
    const profile = await client.send(new GetSigningProfileCommand({ profileName: 'state_profile' }))
    expect(profile.profileVersion).toBe(stack.profileVersion)
    const certificateAfter = await restarted.admin.certificate('state_profile')
    expect(certificateAfter.fingerprint256).toBe(certificateBefore.fingerprint256)
    expect(
      (await client.send(new ListProfilePermissionsCommand({ profileName: 'state_profile' }))).permissions
    ).toHaveLength(1)

    const job = await client.send(new DescribeSigningJobCommand({ jobId: done.jobId }))
    expect(job.status).toBe('Succeeded')
    expect(job.signatureExpiresAt).toEqual(finished.signatureExpiresAt)
    expect(job.revocationRecord?.reason).toBe('before restart')
    // Same token, same job: no second job after the restart either.
    expect((await client.send(new StartSigningJobCommand(request))).jobId).toBe(done.jobId)

    // The job that was running is still running after the restart, then finishes.
    expect((await client.send(new DescribeSigningJobCommand({ jobId: pending.jobId }))).status).toBe(
      'InProgress'
    )
    const resumed = await waitForJob(client, pending.jobId as string)
    expect(resumed.status).toBe('Succeeded')
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: resumed.signedObject?.s3?.key }))
    const envelope = JSON.parse(
      await (object.Body as { transformToString(): Promise<string> }).transformToString()
    ) as SignedObjectEnvelope
    const key = new crypto.X509Certificate(certificateAfter.certificatePem).publicKey
    expect(
      crypto.verify('sha384', lambdaZip('state payload'), key, Buffer.from(envelope.signature, 'base64'))
    ).toBe(true)
  } finally {
    client.destroy()
    await restarted.close()
  }
})

test('a state file that is not the emulator state is refused with a message naming it', async () => {
  const bad = path.join(dir, 'bad.json')
  fs.writeFileSync(bad, JSON.stringify({ hello: 'world' }))
  await expect(startEmulator({ s3Endpoint: stack.s3Endpoint, stateFile: bad })).rejects.toThrow(
    `${bad}: not an emulator state file`
  )
})
