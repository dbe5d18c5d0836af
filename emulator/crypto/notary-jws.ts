/**
 * The signature SignPayload returns: a Notary Project signature envelope in JWS JSON serialization
 * (`application/jose+json`, the only envelope type AWS's Notation plugin accepts, aws/aws-signer-notation-plugin
 * internal/signer/signer.go), signed with the profile's ECDSA P-384 key (ES384). The protected header carries
 * the Notary signing scheme `notary.x509.signingAuthority` with its authentic signing time and expiry, and
 * the two attributes AWS's verifier reads back (internal/verifier/verifier.go):
 * `com.amazonaws.signer.signingProfileVersion` and `com.amazonaws.signer.signingJob`. The certificate chain
 * is the profile's self-signed certificate alone (AWS's has its CA chain).
 */
import * as crypto from 'node:crypto'

export const NOTARY_PAYLOAD_TYPE = 'application/vnd.cncf.notary.payload.v1+json'
export const PROFILE_VERSION_ATTRIBUTE = 'com.amazonaws.signer.signingProfileVersion'
export const SIGNING_JOB_ATTRIBUTE = 'com.amazonaws.signer.signingJob'

export interface NotaryJws {
  payload: string
  protected: string
  header: { x5c: string[]; 'io.cncf.notary.signingAgent': string }
  signature: string
}

export interface NotarySigning {
  payload: Buffer
  privateKeyPem: string
  certificatePem: string
  /** Epoch milliseconds. */
  signingTime: number
  expiry: number
  profileVersionArn: string
  jobArn: string
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url')

export function createNotaryJws(signing: NotarySigning): NotaryJws {
  const header = {
    alg: 'ES384',
    cty: NOTARY_PAYLOAD_TYPE,
    crit: [
      'io.cncf.notary.signingScheme',
      'io.cncf.notary.authenticSigningTime',
      'io.cncf.notary.expiry',
      PROFILE_VERSION_ATTRIBUTE,
      SIGNING_JOB_ATTRIBUTE
    ],
    'io.cncf.notary.signingScheme': 'notary.x509.signingAuthority',
    'io.cncf.notary.authenticSigningTime': new Date(signing.signingTime).toISOString(),
    'io.cncf.notary.expiry': new Date(signing.expiry).toISOString(),
    [PROFILE_VERSION_ATTRIBUTE]: signing.profileVersionArn,
    [SIGNING_JOB_ATTRIBUTE]: signing.jobArn
  }
  const protectedHeader = base64url(JSON.stringify(header))
  const payload = base64url(signing.payload)
  // JWS ES384 signatures are the raw r || s, not DER (RFC 7518, section 3.4).
  const signature = crypto.sign('sha384', Buffer.from(`${protectedHeader}.${payload}`), {
    key: signing.privateKeyPem,
    dsaEncoding: 'ieee-p1363'
  })
  const certificate = new crypto.X509Certificate(signing.certificatePem)
  return {
    payload,
    protected: protectedHeader,
    header: {
      x5c: [certificate.raw.toString('base64')],
      'io.cncf.notary.signingAgent': 'aws-signer-emulator'
    },
    signature: base64url(signature)
  }
}

/** The protected header of an envelope, and whether its signature holds for the leaf certificate in x5c. */
export function verifyNotaryJws(jws: NotaryJws): { valid: boolean; header: Record<string, unknown> } {
  const header = JSON.parse(Buffer.from(jws.protected, 'base64url').toString()) as Record<string, unknown>
  const leaf = new crypto.X509Certificate(Buffer.from(jws.header.x5c[0], 'base64'))
  const valid = crypto.verify(
    'sha384',
    Buffer.from(`${jws.protected}.${jws.payload}`),
    { key: leaf.publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(jws.signature, 'base64url')
  )
  return { valid, header }
}
