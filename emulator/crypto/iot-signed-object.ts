/**
 * The signed object Signer writes for the IoT and FreeRTOS platforms: a JSON document holding the signed
 * bytes and their signature, which AWS IoT's OTA update service reads. Its form, as AWS staff describe it on
 * AWS re:Post (questions QUzoa5DSyxSpaWQ6RWKfMbUw and QUV6U9NAbLTn-Ioqku68tR6w, with a real object):
 *
 *   {"rawPayloadSize":366816,"signature":"MEUCID…","signatureAlgorithm":"SHA256withECDSA","payload":"U0ZV…"}
 *
 * `payload` is the source bytes in base64, `signature` the base64 DER signature over them, `rawPayloadSize`
 * their length. The algorithm name for RSA with SHA-1 (the TI CC3220SF platform) follows the same pattern,
 * `SHA1withRSA`: inferred, AWS shows no example of it.
 */
import * as crypto from 'node:crypto'
import { digestName, EncryptionAlgorithm, HashAlgorithm } from '../platforms'

export interface IotSignedObject {
  rawPayloadSize: number
  /** Base64: DER ECDSA, or RSA PKCS#1 v1.5. */
  signature: string
  /** `SHA256withECDSA` or `SHA1withRSA`. */
  signatureAlgorithm: string
  /** The signed bytes, base64. */
  payload: string
}

export function signatureAlgorithmName(hash: HashAlgorithm, encryption: EncryptionAlgorithm): string {
  return `${hash}with${encryption}`
}

export function createIotSignedObject(
  payload: Buffer,
  algorithms: { hashAlgorithm: HashAlgorithm; encryptionAlgorithm: EncryptionAlgorithm },
  privateKeyPem: string
): IotSignedObject {
  return {
    rawPayloadSize: payload.length,
    signature: crypto.sign(digestName(algorithms.hashAlgorithm), payload, privateKeyPem).toString('base64'),
    signatureAlgorithm: signatureAlgorithmName(algorithms.hashAlgorithm, algorithms.encryptionAlgorithm),
    payload: payload.toString('base64')
  }
}

/** Parses a signed object's bytes; throws when they are not of this form. */
export function parseIotSignedObject(bytes: Buffer | string): IotSignedObject {
  const parsed = JSON.parse(bytes.toString()) as Partial<IotSignedObject> | null
  if (
    !parsed ||
    typeof parsed.rawPayloadSize !== 'number' ||
    typeof parsed.signature !== 'string' ||
    typeof parsed.signatureAlgorithm !== 'string' ||
    typeof parsed.payload !== 'string'
  )
    throw new Error('not an IoT signed object (rawPayloadSize, signature, signatureAlgorithm, payload)')
  return parsed as IotSignedObject
}

/**
 * Checks the signature over the payload against a certificate (the one the emulator's admin API reports
 * for the profile): the hash comes from `signatureAlgorithm`, and the payload's length must be
 * `rawPayloadSize`.
 */
export function verifyIotSignedObject(object: IotSignedObject, certificatePem: string): boolean {
  const hash = /^(SHA1|SHA256|SHA384)with(ECDSA|RSA)$/.exec(object.signatureAlgorithm)?.[1] as
    HashAlgorithm | undefined
  const payload = Buffer.from(object.payload, 'base64')
  if (!hash || payload.length !== object.rawPayloadSize) return false
  const key = new crypto.X509Certificate(certificatePem).publicKey
  return crypto.verify(digestName(hash), payload, key, Buffer.from(object.signature, 'base64'))
}
