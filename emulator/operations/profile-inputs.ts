/** PutSigningProfile's inputs, checked as Signer checks them: the platform, and overrides it allows. */
import * as crypto from 'node:crypto'
import { compact } from '../context'
import { validation } from '../errors'
import {
  EncryptionAlgorithm,
  findPlatform,
  HashAlgorithm,
  ImageFormat,
  PLATFORMS,
  SigningPlatform
} from '../platforms'
import { Overrides } from '../state'
import { Input, readObject, readString } from '../validation'

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

export function newProfileVersion(): string {
  const bytes = crypto.randomBytes(10)
  return [...bytes].map(byte => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('')
}

export function readPlatformId(input: Input): SigningPlatform {
  const platformId = readString(input, 'platformId', { required: true })
  const platform = findPlatform(platformId)
  if (!platform)
    throw validation(
      `Unknown platformId '${platformId}': use one of ${PLATFORMS.map(p => p.platformId).join(', ')}.`
    )
  return platform
}

/** Overrides checked against what the platform allows. */
export function readOverrides(input: Input, platform: SigningPlatform): Overrides | undefined {
  const overrides = readObject(input, 'overrides')
  if (!overrides) return undefined
  const result: Overrides = {}
  const configuration = readObject(overrides, 'signingConfiguration', false, 'overrides.signingConfiguration')
  if (configuration) {
    const options = platform.signingConfiguration
    const encryption = readString(
      configuration,
      'encryptionAlgorithm',
      { oneOf: ['RSA', 'ECDSA'] },
      'overrides.signingConfiguration.encryptionAlgorithm'
    )
    const hash = readString(
      configuration,
      'hashAlgorithm',
      { oneOf: ['SHA1', 'SHA256', 'SHA384'] },
      'overrides.signingConfiguration.hashAlgorithm'
    )
    if (
      encryption &&
      !options.encryptionAlgorithmOptions.allowedValues.includes(encryption as EncryptionAlgorithm)
    )
      throw validation(
        `Encryption algorithm ${encryption} is not allowed on ${platform.platformId}: allowed ${options.encryptionAlgorithmOptions.allowedValues.join(', ')}.`
      )
    if (hash && !options.hashAlgorithmOptions.allowedValues.includes(hash as HashAlgorithm))
      throw validation(
        `Hash algorithm ${hash} is not allowed on ${platform.platformId}: allowed ${options.hashAlgorithmOptions.allowedValues.join(', ')}.`
      )
    result.signingConfiguration = compact({
      encryptionAlgorithm: encryption,
      hashAlgorithm: hash
    }) as Overrides['signingConfiguration']
  }
  const format = readString(
    overrides,
    'signingImageFormat',
    { oneOf: ['JSON', 'JSONEmbedded', 'JSONDetached'] },
    'overrides.signingImageFormat'
  )
  if (format) {
    if (!platform.signingImageFormat.supportedFormats.includes(format as ImageFormat))
      throw validation(
        `Signing image format ${format} is not supported on ${platform.platformId}: supported ${platform.signingImageFormat.supportedFormats.join(', ')}.`
      )
    result.signingImageFormat = format as ImageFormat
  }
  return result
}
