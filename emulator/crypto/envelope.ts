/**
 * The signed object the emulator writes to the destination bucket: a JSON envelope (documented in
 * emulator/README.md). The signature is over the raw payload bytes with the job's hash algorithm, made with
 * the profile's private key; `certificate` holds the profile's self-signed certificate, so anyone can check
 * it with node:crypto alone.
 */
import * as crypto from 'node:crypto'
import { digestName, EncryptionAlgorithm, HashAlgorithm, ImageFormat } from '../platforms'

export const SIGNED_OBJECT_FORMAT = 'aws-signer-emulator/signed-object/v1'

export interface SignedObjectEnvelope {
  format: typeof SIGNED_OBJECT_FORMAT
  jobId: string
  jobOwner: string
  profileName: string
  profileVersion: string
  profileVersionArn: string
  platformId: string
  source: { bucketName: string; key: string; version: string }
  signingImageFormat: ImageFormat
  encryptionAlgorithm: EncryptionAlgorithm
  hashAlgorithm: HashAlgorithm
  /** Hex SHA-256 of the payload, whatever the signing hash. */
  payloadSha256: string
  /** The signed bytes, base64. */
  payload: string
  /** Base64: DER ECDSA signature, or RSA PKCS#1 v1.5. */
  signature: string
  /** The profile's self-signed X.509 certificate, PEM. */
  certificate: string
  signedAt: string
  signatureExpiresAt: string
}

export type EnvelopeFields = Omit<
  SignedObjectEnvelope,
  'format' | 'payloadSha256' | 'payload' | 'signature' | 'certificate'
>

export function createEnvelope(
  fields: EnvelopeFields,
  payload: Buffer,
  key: { privateKeyPem: string; certificatePem: string }
): SignedObjectEnvelope {
  const signature = crypto.sign(digestName(fields.hashAlgorithm), payload, key.privateKeyPem)
  return {
    format: SIGNED_OBJECT_FORMAT,
    ...fields,
    payloadSha256: crypto.createHash('sha256').update(payload).digest('hex'),
    payload: payload.toString('base64'),
    signature: signature.toString('base64'),
    certificate: key.certificatePem
  }
}

/** Parses a signed object's bytes; throws when they are not an envelope of this format. */
export function parseEnvelope(bytes: Buffer | string): SignedObjectEnvelope {
  const parsed: unknown = JSON.parse(bytes.toString())
  if (
    !parsed ||
    typeof parsed !== 'object' ||
    (parsed as { format?: unknown }).format !== SIGNED_OBJECT_FORMAT
  )
    throw new Error(`not a signed object of format ${SIGNED_OBJECT_FORMAT}`)
  return parsed as SignedObjectEnvelope
}

/**
 * Checks the envelope's signature over its payload (or over `payload` when given) against its certificate,
 * or against `certificatePem` when given (the certificate the emulator's admin API reports for the profile).
 */
export function verifyEnvelope(
  envelope: SignedObjectEnvelope,
  options: { payload?: Buffer; certificatePem?: string } = {}
): boolean {
  const certificate = new crypto.X509Certificate(options.certificatePem ?? envelope.certificate)
  const payload = options.payload ?? Buffer.from(envelope.payload, 'base64')
  return crypto.verify(
    digestName(envelope.hashAlgorithm),
    payload,
    certificate.publicKey,
    Buffer.from(envelope.signature, 'base64')
  )
}
