/**
 * The signed objects the emulator writes: real signatures, checked here with node:crypto alone against the
 * certificate the emulator reports for the profile, on every platform.
 */
import * as crypto from 'node:crypto'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import {
  ListSigningJobsCommand,
  PutSigningProfileCommand,
  StartSigningJobCommand
} from '@aws-sdk/client-signer'
import { SignedObjectEnvelope } from '../../emulator/crypto/envelope'
import { parseIotSignedObject, verifyIotSignedObject } from '../../emulator/crypto/iot-signed-object'
import { lambdaZip, putSource, waitForJob, zipArchive } from '../../emulator/testing'
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
  const bytes = Buffer.from(
    await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()
  )
  const envelope = JSON.parse(bytes.toString()) as SignedObjectEnvelope
  const certificate = await stack.emulator.admin.certificate(profileName)
  return { job, bytes, envelope, certificate, version }
}

test('Lambda: an ECDSA P-384 / SHA-384 signature over the payload, valid for the profile certificate', async () => {
  const payload = lambdaZip(crypto.randomBytes(4096))
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

test('IoT Device Management and FreeRTOS-Default: the JSON document AWS IoT reads, ECDSA P-256 / SHA-256, at prefix + jobId, no expiry', async () => {
  for (const [profileName, platformId] of [
    ['sign_iot', 'AWSIoTDeviceManagement-SHA256-ECDSA'],
    ['sign_freertos', 'AmazonFreeRTOS-Default']
  ]) {
    const payload = Buffer.from(`firmware for ${platformId}`)
    const { job, bytes, certificate } = await signWith(
      profileName,
      platformId,
      `${profileName}/fw.bin`,
      payload
    )
    expect(job.signedObject?.s3?.key).toBe(`signed/${profileName}/${job.jobId}`)
    // The form AWS writes: exactly these four members.
    const signed = JSON.parse(bytes.toString())
    expect(Object.keys(signed).sort()).toEqual([
      'payload',
      'rawPayloadSize',
      'signature',
      'signatureAlgorithm'
    ])
    expect(signed).toMatchObject({
      rawPayloadSize: payload.length,
      signatureAlgorithm: 'SHA256withECDSA',
      payload: payload.toString('base64')
    })
    const key = new crypto.X509Certificate(certificate.certificatePem).publicKey
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1')
    expect(crypto.verify('sha256', payload, key, Buffer.from(signed.signature, 'base64'))).toBe(true)
    expect(verifyIotSignedObject(parseIotSignedObject(bytes), certificate.certificatePem)).toBe(true)
    const tampered = { ...signed, payload: Buffer.from('other firmware').toString('base64') }
    expect(verifyIotSignedObject({ ...tampered, rawPayloadSize: 14 }, certificate.certificatePem)).toBe(false)
    // Signature validity applies to the Lambda and Notation platforms only.
    expect(job.signatureExpiresAt).toBeUndefined()
    const listed = await stack.signer.send(new ListSigningJobsCommand({ platformId }))
    expect(listed.jobs?.find(j => j.jobId === job.jobId)).toMatchObject({ status: 'Succeeded' })
    expect(listed.jobs?.find(j => j.jobId === job.jobId)?.signatureExpiresAt).toBeUndefined()
  }
})

test('FreeRTOS TI CC3220SF: RSA with SHA-1 (SHA1withRSA), as the platform defines', async () => {
  const payload = Buffer.from('cc3220sf image')
  const { bytes, certificate } = await signWith(
    'sign_ti',
    'AmazonFreeRTOS-TI-CC3220SF',
    'ti/image.bin',
    payload
  )
  const key = new crypto.X509Certificate(certificate.certificatePem).publicKey
  expect(key.asymmetricKeyType).toBe('rsa')
  const signed = parseIotSignedObject(bytes)
  expect(signed).toMatchObject({ rawPayloadSize: payload.length, signatureAlgorithm: 'SHA1withRSA' })
  expect(crypto.verify('sha1', payload, key, Buffer.from(signed.signature, 'base64'))).toBe(true)
  expect(crypto.verify('sha256', payload, key, Buffer.from(signed.signature, 'base64'))).toBe(false)
  expect(verifyIotSignedObject(signed, certificate.certificatePem)).toBe(true)
})

test('the exact source version is signed, not the latest one', async () => {
  await stack.signer.send(
    new PutSigningProfileCommand({ profileName: 'sign_version', platformId: 'AWSLambda-SHA384-ECDSA' })
  )
  const first = await putSource(stack.s3, stack.bucket, 'versions/app.zip', lambdaZip('first'))
  await putSource(stack.s3, stack.bucket, 'versions/app.zip', lambdaZip('second'))
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
  expect(Buffer.from(envelope.payload, 'base64').equals(lambdaZip('first'))).toBe(true)
})

test('a destination bucket that does not exist fails the job with a statusReason naming it', async () => {
  await stack.signer.send(
    new PutSigningProfileCommand({ profileName: 'sign_nodest', platformId: 'AWSLambda-SHA384-ECDSA' })
  )
  const version = await putSource(stack.s3, stack.bucket, 'nodest/app.zip', lambdaZip('x'))
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

describe('the Lambda platform signs zip files only ("Signing fails for a zip file if the file is empty, already has a signature, or is malformed")', () => {
  const started = async (key: string, body: Buffer | string) => {
    const version = await putSource(stack.s3, stack.bucket, key, body)
    const job = await stack.signer.send(
      new StartSigningJobCommand({
        profileName: 'sign_zip_rules',
        source: { s3: { bucketName: stack.bucket, key, version } },
        destination: { s3: { bucketName: stack.bucket, prefix: 'zip-rules/signed/' } }
      })
    )
    return waitForJob(stack.signer, job.jobId as string)
  }

  beforeAll(async () => {
    await stack.signer.send(
      new PutSigningProfileCommand({ profileName: 'sign_zip_rules', platformId: 'AWSLambda-SHA384-ECDSA' })
    )
  })

  test.each([
    ['a text file', 'not a zip', 'is not a zip file'],
    ['an empty zip (no entries)', zipArchive({}), 'is an empty zip file (no entries)'],
    ['a truncated zip', lambdaZip('cut short').subarray(0, 40), 'is a malformed zip file'],
    ['a zip whose directory does not match', corruptDirectory(lambdaZip('x')), 'is a malformed zip file']
  ])('%s: the job fails with a statusReason saying so, and no signed object', async (_, body, reason) => {
    const job = await started(`zip-rules/${reason.length}-${Math.random()}.zip`, body)
    expect(job.status).toBe('Failed')
    expect(job.statusReason).toContain(reason)
    expect(job.signedObject).toBeUndefined()
  })

  test('a zip with entries signs', async () => {
    expect((await started('zip-rules/ok.zip', zipArchive({ 'a.js': '1', 'lib/b.js': '2' }))).status).toBe(
      'Succeeded'
    )
  })
})

/** A zip whose end record points at bytes that are not a central directory header. */
function corruptDirectory(zip: Buffer): Buffer {
  const copy = Buffer.from(zip)
  copy.writeUInt32LE(0, copy.length - 6)
  return copy
}
