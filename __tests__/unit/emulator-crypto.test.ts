/** The emulator's cryptography: the DER encoder, the self-signed certificate, and the signed-object envelope. */
import * as crypto from 'node:crypto'
import { selfSignedCertificate } from '../../emulator/crypto/certificate'
import { integer, objectIdentifier, sequence, time, tlv } from '../../emulator/crypto/der'
import { createEnvelope, EnvelopeFields, parseEnvelope, verifyEnvelope } from '../../emulator/crypto/envelope'
import { generateSigningKey } from '../../emulator/crypto/keys'

describe('DER', () => {
  test('lengths: short form under 128, long form above', () => {
    expect(tlv(0x04, Buffer.alloc(3)).subarray(0, 2)).toEqual(Buffer.from([0x04, 0x03]))
    expect(tlv(0x04, Buffer.alloc(200)).subarray(0, 3)).toEqual(Buffer.from([0x04, 0x81, 0xc8]))
    expect(tlv(0x04, Buffer.alloc(300)).subarray(0, 4)).toEqual(Buffer.from([0x04, 0x82, 0x01, 0x2c]))
  })

  test('integers are minimal and positive', () => {
    expect(integer(0)).toEqual(Buffer.from([0x02, 0x01, 0x00]))
    expect(integer(2)).toEqual(Buffer.from([0x02, 0x01, 0x02]))
    expect(integer(128)).toEqual(Buffer.from([0x02, 0x02, 0x00, 0x80]))
    expect(integer(Buffer.from([0x00, 0x00, 0x7f]))).toEqual(Buffer.from([0x02, 0x01, 0x7f]))
  })

  test('object identifiers encode multi-byte arcs (ecdsa-with-SHA384)', () => {
    expect(objectIdentifier('1.2.840.10045.4.3.3').toString('hex')).toBe('06082a8648ce3d040303')
    expect(sequence().toString('hex')).toBe('3000')
  })

  test('UTCTime before 2050, GeneralizedTime from 2050', () => {
    expect(time(new Date('2037-04-30T12:00:00Z')).toString('latin1')).toBe('\x17\x0d370430120000Z')
    expect(time(new Date('2051-01-02T03:04:05Z')).toString('latin1')).toBe('\x18\x0f20510102030405Z')
  })
})

describe('self-signed certificates', () => {
  test.each([
    ['ECDSA P-384', () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }), 'secp384r1'],
    ['ECDSA P-256', () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }), 'prime256v1'],
    ['RSA 2048', () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }), undefined]
  ])('%s: node:crypto parses it and verifies its own signature', (_label, generate, curve) => {
    const { privateKey, publicKey } = generate()
    const notBefore = new Date('2026-01-01T00:00:00Z')
    const notAfter = new Date('2055-06-01T00:00:00Z')
    const pem = selfSignedCertificate({
      privateKey,
      publicKey,
      commonName: 'profile/AbCdEf1234',
      notBefore,
      notAfter
    })
    const certificate = new crypto.X509Certificate(pem)
    expect(certificate.verify(certificate.publicKey)).toBe(true)
    expect(certificate.subject).toContain('CN=profile/AbCdEf1234')
    expect(certificate.issuer).toBe(certificate.subject)
    expect(new Date(certificate.validFrom).toISOString()).toBe(notBefore.toISOString())
    expect(new Date(certificate.validTo).toISOString()).toBe(notAfter.toISOString())
    expect(certificate.ca).toBe(false)
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.3'])
    expect(certificate.publicKey.export({ type: 'spki', format: 'der' })).toEqual(
      publicKey.export({ type: 'spki', format: 'der' })
    )
    if (curve) expect(certificate.publicKey.asymmetricKeyDetails?.namedCurve).toBe(curve)
    // A different key does not verify it.
    const other = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
    expect(certificate.verify(other.publicKey)).toBe(false)
  })
})

describe('the signed-object envelope', () => {
  const fields: EnvelopeFields = {
    jobId: 'job-1',
    jobOwner: '123456789012',
    profileName: 'p',
    profileVersion: 'AbCdEf1234',
    profileVersionArn: 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/p/AbCdEf1234',
    platformId: 'AWSLambda-SHA384-ECDSA',
    source: { bucketName: 'b', key: 'k', version: 'v' },
    signingImageFormat: 'JSONDetached',
    encryptionAlgorithm: 'ECDSA',
    hashAlgorithm: 'SHA384',
    signedAt: '2026-01-01T00:00:00.000Z',
    signatureExpiresAt: '2037-04-01T00:00:00.000Z'
  }

  test('signs the payload, round-trips through JSON, and verifies; tampering is detected', async () => {
    const key = await generateSigningKey({
      encryptionAlgorithm: 'ECDSA',
      hashAlgorithm: 'SHA384',
      commonName: 'p/AbCdEf1234',
      notBefore: new Date(),
      notAfter: new Date(Date.now() + 86_400_000)
    })
    expect(key.curve).toBe('P-384')
    const payload = Buffer.from('the code')
    const envelope = parseEnvelope(JSON.stringify(createEnvelope(fields, payload, key)))
    expect(envelope.payloadSha256).toBe(crypto.createHash('sha256').update(payload).digest('hex'))
    expect(verifyEnvelope(envelope)).toBe(true)
    expect(verifyEnvelope(envelope, { payload: Buffer.from('other code') })).toBe(false)
    expect(verifyEnvelope({ ...envelope, payload: Buffer.from('other code').toString('base64') })).toBe(false)
    const stranger = await generateSigningKey({
      encryptionAlgorithm: 'ECDSA',
      hashAlgorithm: 'SHA384',
      commonName: 'x',
      notBefore: new Date(),
      notAfter: new Date(Date.now() + 86_400_000)
    })
    expect(verifyEnvelope(envelope, { certificatePem: stranger.certificatePem })).toBe(false)
  })

  test('RSA with SHA-1 for the TI platform', async () => {
    const key = await generateSigningKey({
      encryptionAlgorithm: 'RSA',
      hashAlgorithm: 'SHA1',
      commonName: 'ti',
      notBefore: new Date(),
      notAfter: new Date(Date.now() + 86_400_000)
    })
    expect(key.curve).toBeUndefined()
    const envelope = createEnvelope(
      { ...fields, encryptionAlgorithm: 'RSA', hashAlgorithm: 'SHA1' },
      Buffer.from('fw'),
      key
    )
    expect(verifyEnvelope(envelope)).toBe(true)
    const publicKey = new crypto.X509Certificate(key.certificatePem).publicKey
    expect(
      crypto.verify('sha1', Buffer.from('fw'), publicKey, Buffer.from(envelope.signature, 'base64'))
    ).toBe(true)
  })

  test('parseEnvelope refuses anything else', () => {
    expect(() => parseEnvelope('{"format":"zip"}')).toThrow('not a signed object')
    expect(() => parseEnvelope('not json')).toThrow()
  })
})
