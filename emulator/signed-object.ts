/**
 * The bytes of a job's signed object, in the form its platform has: the IoT and FreeRTOS platforms get the
 * JSON document AWS IoT reads (rawPayloadSize, signature, signatureAlgorithm, payload); the Lambda platform
 * gets the emulator's own JSON envelope (a real signed Lambda zip is not emulated).
 */
import { profileVersionArn } from './arns'
import { createEnvelope } from './crypto/envelope'
import { createIotSignedObject } from './crypto/iot-signed-object'
import { LAMBDA_PLATFORM } from './platforms'
import type { JobRecord, ProfileRecord } from './state'

export interface SignedObjectRequest {
  job: JobRecord
  profile: ProfileRecord
  payload: Buffer
  region: string
  /** Epoch milliseconds. */
  signedAt: number
  /** Epoch milliseconds; undefined on the platforms whose signatures do not expire. */
  signatureExpiresAt?: number
}

export function signedObjectBytes(request: SignedObjectRequest): Buffer {
  const { job, profile, payload, region } = request
  if (job.platformId !== LAMBDA_PLATFORM || request.signatureExpiresAt === undefined)
    return Buffer.from(JSON.stringify(createIotSignedObject(payload, job, profile.key.privateKeyPem)))
  const envelope = createEnvelope(
    {
      jobId: job.jobId,
      jobOwner: job.jobOwner,
      profileName: job.profileName,
      profileVersion: job.profileVersion,
      profileVersionArn: profileVersionArn(region, job.jobOwner, job.profileName, job.profileVersion),
      platformId: job.platformId,
      source: job.source,
      signingImageFormat: job.signingImageFormat,
      encryptionAlgorithm: job.encryptionAlgorithm,
      hashAlgorithm: job.hashAlgorithm,
      signedAt: new Date(request.signedAt).toISOString(),
      signatureExpiresAt: new Date(request.signatureExpiresAt).toISOString()
    },
    payload,
    profile.key
  )
  return Buffer.from(JSON.stringify(envelope, null, 2))
}
