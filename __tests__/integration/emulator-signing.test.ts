/**
 * The signed objects the emulator writes: real signatures, checked here with node:crypto alone against the
 * certificate the emulator reports for the profile, on every platform.
 */
import * as crypto from 'node:crypto'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import { PutSigningProfileCommand, StartSigningJobCommand } from '@aws-sdk/client-signer'
import { SignedObjectEnvelope } from '../../emulator/crypto/envelope'
import { putSource, waitForJob } from '../../emulator/testing'
import { LocalStack, startStack } from '../../scripts/stack'

let stack: LocalStack

beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 50 })
})

afterAll(async () => {
  await stack?.stop()
})

async function signWith(profileName: string, platformId: string, key: string, payload: Buffer) {
  await stack.signer.send(
    new PutSigningProfileCommand({
      profileName,
      platformId,
      ...(platformId === 'AWSLambda-SHA384-ECDSA'
        ? {}
        : { signingMaterial: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' } })
    })
  )
  const version = await putSource(stack.s3, stack.bucket, key, payload)
  const started = await stack.signer.send(
    new StartSigningJobCommand({
      profileName,
      source: { s3: { bucketName: stack.bucket, key, version } },
      destination: { s3: { bucketName: stack.bucket, prefix: `signed/${profileName}/` } }
    })
  )
  const job = await waitForJob(stack.signer, started.jobId as string)
  expect(job.status).toBe('Succeeded')
  const object = await stack.s3.send(
    new GetObjectCommand({ Bucket: job.signedObject?.s3?.bucketName, Key: job.signedObject?.s3?.key })
  )
  const envelope = JSON.parse(
    Buffer.from(
      await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()
    ).toString()
  ) as SignedObjectEnvelope
  const certificate = await stack.emulator.admin.certificate(profileName)
  return { job, envelope, certificate, version }
}

test('Lambda: an ECDSA P-384 / SHA-384 signature over the payload, valid for the profile certificate', async () => {
  const payload = crypto.randomBytes(4096)
  const { job, envelope, certificate, version } = await signWith(
    'sign_lambda',
    'AWSLambda-SHA384-ECDSA',
    'lambda/function.zip',
    payload
  )
  expect(job.signedObject?.s3?.key).toBe(`signed/sign_lambda/${job.jobId}.zip`)

  const x509 = new crypto.X509Certificate(certificate.certificatePem)
  expect(x509.publicKey.asymmetricKeyType).toBe('ec')
  expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1')
  expect(x509.verify(x509.publicKey)).toBe(true) // self-signed
  expect(x509.subject).toContain(`CN=sign_lambda/${job.profileVersion}`)
  expect(x509.keyUsage).toContain('1.3.6.1.5.5.7.3.3') // code signing
  expect(new Date(x509.validTo).getTime()).toBeGreaterThan(Date.now() + 10 * 365 * 86_400_000)

  const signature = Buffer.from(envelope.signature, 'base64')
  expect(crypto.verify('sha384', payload, x509.publicKey, signature)).toBe(true)
  const tampered = Buffer.from(payload)
  tampered[0] ^= 0xff
  expect(crypto.verify('sha384', tampered, x509.publicKey, signature)).toBe(false)

  expect(envelope).toMatchObject({
    format: 'aws-signer-emulator/signed-object/v1',
    jobId: job.jobId,
    jobOwner: stack.accountId,
    profileName: 'sign_lambda',
    profileVersion: job.profileVersion,
    platformId: 'AWSLambda-SHA384-ECDSA',
    source: { bucketName: stack.bucket, key: 'lambda/function.zip', version },
    encryptionAlgorithm: 'ECDSA',
    hashAlgorithm: 'SHA384',
    signingImageFormat: 'JSONDetached',
    certificate: certificate.certificatePem,
    payloadSha256: crypto.createHash('sha256').update(payload).digest('hex')
  })
  expect(Buffer.from(envelope.payload, 'base64').equals(payload)).toBe(true)
  expect(Date.parse(envelope.signatureExpiresAt)).toBe(job.signatureExpiresAt?.getTime())
})

test('IoT Device Management and FreeRTOS-Default: ECDSA P-256 / SHA-256, signed object at prefix + jobId', async () => {
  for (const [profileName, platformId] of [
    ['sign_iot', 'AWSIoTDeviceManagement-SHA256-ECDSA'],
    ['sign_freertos', 'AmazonFreeRTOS-Default']
  ]) {
    const payload = Buffer.from(`firmware for ${platformId}`)
    const { job, envelope, certificate } = await signWith(
      profileName,
      platformId,
      `${profileName}/fw.bin`,
      payload
    )
    expect(job.signedObject?.s3?.key).toBe(`signed/${profileName}/${job.jobId}`)
    const key = new crypto.X509Certificate(certificate.certificatePem).publicKey
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1')
    expect(envelope.hashAlgorithm).toBe('SHA256')
    expect(crypto.verify('sha256', payload, key, Buffer.from(envelope.signature, 'base64'))).toBe(true)
  }
})

test('FreeRTOS TI CC3220SF: RSA with SHA-1, as the platform defines', async () => {
  const payload = Buffer.from('cc3220sf image')
  const { envelope, certificate } = await signWith(
    'sign_ti',
    'AmazonFreeRTOS-TI-CC3220SF',
    'ti/image.bin',
    payload
  )
  const key = new crypto.X509Certificate(certificate.certificatePem).publicKey
  expect(key.asymmetricKeyType).toBe('rsa')
  expect(envelope).toMatchObject({
    encryptionAlgorithm: 'RSA',
    hashAlgorithm: 'SHA1',
    signingImageFormat: 'JSONEmbedded'
  })
  expect(crypto.verify('sha1', payload, key, Buffer.from(envelope.signature, 'base64'))).toBe(true)
  expect(crypto.verify('sha256', payload, key, Buffer.from(envelope.signature, 'base64'))).toBe(false)
})

test('the exact source version is signed, not the latest one', async () => {
  await stack.signer.send(
    new PutSigningProfileCommand({ profileName: 'sign_version', platformId: 'AWSLambda-SHA384-ECDSA' })
  )
  const first = await putSource(stack.s3, stack.bucket, 'versions/app.zip', 'first')
  await putSource(stack.s3, stack.bucket, 'versions/app.zip', 'second')
  const started = await stack.signer.send(
    new StartSigningJobCommand({
      profileName: 'sign_version',
      source: { s3: { bucketName: stack.bucket, key: 'versions/app.zip', version: first } },
      destination: { s3: { bucketName: stack.bucket, prefix: 'versions/signed/' } }
    })
  )
  const job = await waitForJob(stack.signer, started.jobId as string)
  const object = await stack.s3.send(
    new GetObjectCommand({ Bucket: stack.bucket, Key: job.signedObject?.s3?.key })
  )
  const envelope = JSON.parse(
    await (object.Body as { transformToString(): Promise<string> }).transformToString()
  ) as SignedObjectEnvelope
  expect(Buffer.from(envelope.payload, 'base64').toString()).toBe('first')
})

test('a destination bucket that does not exist fails the job with a statusReason naming it', async () => {
  await stack.signer.send(
    new PutSigningProfileCommand({ profileName: 'sign_nodest', platformId: 'AWSLambda-SHA384-ECDSA' })
  )
  const version = await putSource(stack.s3, stack.bucket, 'nodest/app.zip', 'x')
  const started = await stack.signer.send(
    new StartSigningJobCommand({
      profileName: 'sign_nodest',
      source: { s3: { bucketName: stack.bucket, key: 'nodest/app.zip', version } },
      destination: { s3: { bucketName: 'no-such-bucket', prefix: 'x/' } }
    })
  )
  const job = await waitForJob(stack.signer, started.jobId as string)
  expect(job.status).toBe('Failed')
  expect(job.statusReason).toContain('s3://no-such-bucket/x/')
})
