/** Each profile's signing key and self-signed certificate: ECDSA (P-256 or P-384) or RSA 2048. */
import * as crypto from 'node:crypto'
import { promisify } from 'node:util'
import { curveFor, EncryptionAlgorithm, HashAlgorithm } from '../platforms'
import { selfSignedCertificate } from './certificate'

const generateKeyPair = promisify(crypto.generateKeyPair)

export interface SigningKey {
  encryptionAlgorithm: EncryptionAlgorithm
  /** The curve for ECDSA keys. */
  curve?: 'P-256' | 'P-384'
  /** PKCS#8 PEM. */
  privateKeyPem: string
  certificatePem: string
}

export interface KeyRequest {
  encryptionAlgorithm: EncryptionAlgorithm
  hashAlgorithm: HashAlgorithm
  commonName: string
  notBefore: Date
  notAfter: Date
}

export async function generateSigningKey(request: KeyRequest): Promise<SigningKey> {
  const curve = request.encryptionAlgorithm === 'ECDSA' ? curveFor(request.hashAlgorithm) : undefined
  const { privateKey, publicKey } =
    request.encryptionAlgorithm === 'ECDSA'
      ? await generateKeyPair('ec', { namedCurve: curve as string })
      : await generateKeyPair('rsa', { modulusLength: 2048 })
  const certificatePem = selfSignedCertificate({
    privateKey,
    publicKey,
    commonName: request.commonName,
    notBefore: request.notBefore,
    notAfter: request.notAfter
  })
  return {
    encryptionAlgorithm: request.encryptionAlgorithm,
    ...(curve ? { curve } : {}),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem
  }
}
