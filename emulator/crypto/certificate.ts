/**
 * A self-signed X.509 v3 code-signing certificate, built with the DER encoder and signed by node:crypto,
 * so that `new crypto.X509Certificate(pem)` parses it and verifies its own signature.
 */
import * as crypto from 'node:crypto'
import {
  bitString,
  boolean,
  explicit,
  integer,
  nullValue,
  objectIdentifier,
  octetString,
  printableString,
  sequence,
  set,
  time,
  utf8String
} from './der'

const OID = {
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  countryName: '2.5.4.6',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  codeSigning: '1.3.6.1.5.5.7.3.3'
}

export interface CertificateRequest {
  privateKey: crypto.KeyObject
  publicKey: crypto.KeyObject
  commonName: string
  organization?: string
  notBefore: Date
  notAfter: Date
  serial?: Buffer
}

/** Which signature algorithm a key signs its own certificate with: ECDSA with the curve's hash, or RSA SHA-256. */
function certificateSignature(key: crypto.KeyObject): { oid: string; params: Buffer[]; digest: string } {
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve
    return curve === 'secp384r1'
      ? { oid: OID.ecdsaWithSha384, params: [], digest: 'sha384' }
      : { oid: OID.ecdsaWithSha256, params: [], digest: 'sha256' }
  }
  if (key.asymmetricKeyType === 'rsa')
    return { oid: OID.sha256WithRsa, params: [nullValue()], digest: 'sha256' }
  throw new Error(`unsupported key type ${key.asymmetricKeyType}`)
}

function name(commonName: string, organization: string): Buffer {
  const attribute = (oid: string, value: Buffer): Buffer => set(sequence(objectIdentifier(oid), value))
  return sequence(
    attribute(OID.countryName, printableString('US')),
    attribute(OID.organizationName, utf8String(organization)),
    attribute(OID.commonName, utf8String(commonName))
  )
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value))
}

/** Returns the certificate as PEM. */
export function selfSignedCertificate(request: CertificateRequest): string {
  const organization = request.organization ?? 'AWS Signer emulator'
  const serial = request.serial ?? crypto.randomBytes(16)
  serial[0] = (serial[0] & 0x7f) | 0x01 // positive and full length
  const signature = certificateSignature(request.privateKey)
  const algorithm = sequence(objectIdentifier(signature.oid), ...signature.params)
  const spki = request.publicKey.export({ type: 'spki', format: 'der' })
  const subjectKeyId = crypto.createHash('sha1').update(spki).digest()
  const subject = name(request.commonName, organization)

  const tbs = sequence(
    explicit(0, integer(2)),
    integer(serial),
    algorithm,
    subject,
    sequence(time(request.notBefore), time(request.notAfter)),
    subject,
    spki,
    explicit(
      3,
      sequence(
        extension(OID.basicConstraints, true, sequence()),
        extension(OID.keyUsage, true, bitString(Buffer.from([0x80]), 7)),
        extension(OID.extKeyUsage, false, sequence(objectIdentifier(OID.codeSigning))),
        extension(OID.subjectKeyIdentifier, false, octetString(subjectKeyId))
      )
    )
  )
  const signed = crypto.sign(signature.digest, tbs, request.privateKey)
  const der = sequence(tbs, algorithm, bitString(signed))
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`
}
