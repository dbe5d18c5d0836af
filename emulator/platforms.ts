/**
 * The signing platforms as AWS lists them (`aws signer list-signing-platforms`), with the settings the
 * emulator signs by: key type per encryption algorithm, and the hash algorithm names node:crypto knows.
 */
export type EncryptionAlgorithm = 'RSA' | 'ECDSA'
export type HashAlgorithm = 'SHA1' | 'SHA256' | 'SHA384'
export type ImageFormat = 'JSON' | 'JSONEmbedded' | 'JSONDetached'

export interface SigningPlatform {
  platformId: string
  displayName: string
  partner: string
  target: string
  category: string
  signingConfiguration: {
    encryptionAlgorithmOptions: { allowedValues: EncryptionAlgorithm[]; defaultValue: EncryptionAlgorithm }
    hashAlgorithmOptions: { allowedValues: HashAlgorithm[]; defaultValue: HashAlgorithm }
  }
  signingImageFormat: { supportedFormats: ImageFormat[]; defaultFormat: ImageFormat }
  /** Absent where AWS publishes no limit. */
  maxSizeInMB?: number
  revocationSupported: boolean
}

export const LAMBDA_PLATFORM = 'AWSLambda-SHA384-ECDSA'
/** Container images, signed with Notation through SignPayload; StartSigningJob does not sign them. */
export const NOTATION_PLATFORM = 'Notation-OCI-SHA384-ECDSA'

/** The platforms whose keys Signer manages; two rules below single them out. */
const LAMBDA_AND_CONTAINERS = new Set([LAMBDA_PLATFORM, NOTATION_PLATFORM])

/**
 * "The signature validity period is only applicable for AWSLambda-SHA384-ECDSA and
 * Notation-OCI-SHA384-ECDSA signing platforms" (developer guide, "Creating profiles using the AWS CLI"):
 * jobs on the other platforms have no signatureExpiresAt.
 */
export function signaturesExpire(platformId: string): boolean {
  return LAMBDA_AND_CONTAINERS.has(platformId)
}

/**
 * "Signer manages the code signing certificate and keys associated for only AWS Lambda and Container images
 * workflows. For Internet of Things (IoT) workflows, you can import your own code signing certificate into
 * AWS Certificate Manager" (developer guide, "Create and manage a signing profile").
 */
export function managedCertificate(platformId: string): boolean {
  return LAMBDA_AND_CONTAINERS.has(platformId)
}

export const PLATFORMS: readonly SigningPlatform[] = [
  {
    platformId: 'AWSIoTDeviceManagement-SHA256-ECDSA',
    // The trailing space is AWS's own.
    displayName: 'AWS IoT Device Management SHA256-ECDSA ',
    partner: 'AWSIoTDeviceManagement',
    target: 'SHA256-ECDSA',
    category: 'AWS',
    signingConfiguration: {
      encryptionAlgorithmOptions: { allowedValues: ['ECDSA'], defaultValue: 'ECDSA' },
      hashAlgorithmOptions: { allowedValues: ['SHA256'], defaultValue: 'SHA256' }
    },
    signingImageFormat: { supportedFormats: ['JSONDetached'], defaultFormat: 'JSONDetached' },
    maxSizeInMB: 2048,
    revocationSupported: false
  },
  {
    platformId: LAMBDA_PLATFORM,
    displayName: 'AWS Lambda',
    partner: 'AWSLambda',
    target: 'SHA384-ECDSA',
    category: 'AWS',
    signingConfiguration: {
      encryptionAlgorithmOptions: { allowedValues: ['ECDSA'], defaultValue: 'ECDSA' },
      hashAlgorithmOptions: { allowedValues: ['SHA384'], defaultValue: 'SHA384' }
    },
    signingImageFormat: { supportedFormats: ['JSONDetached'], defaultFormat: 'JSONDetached' },
    maxSizeInMB: 250,
    revocationSupported: true
  },
  {
    platformId: 'AmazonFreeRTOS-TI-CC3220SF',
    displayName: 'Amazon FreeRTOS SHA1-RSA CC3220SF-Format',
    partner: 'AmazonFreeRTOS',
    target: 'SHA1-RSA-TISHA1',
    category: 'AWS',
    signingConfiguration: {
      encryptionAlgorithmOptions: { allowedValues: ['RSA'], defaultValue: 'RSA' },
      hashAlgorithmOptions: { allowedValues: ['SHA1'], defaultValue: 'SHA1' }
    },
    signingImageFormat: { supportedFormats: ['JSONEmbedded'], defaultFormat: 'JSONEmbedded' },
    maxSizeInMB: 16,
    revocationSupported: false
  },
  {
    platformId: 'AmazonFreeRTOS-Default',
    displayName: 'Amazon FreeRTOS SHA256-ECDSA',
    partner: 'AmazonFreeRTOS',
    target: 'SHA256-ECDSA',
    category: 'AWS',
    signingConfiguration: {
      encryptionAlgorithmOptions: { allowedValues: ['ECDSA'], defaultValue: 'ECDSA' },
      hashAlgorithmOptions: { allowedValues: ['SHA256'], defaultValue: 'SHA256' }
    },
    signingImageFormat: { supportedFormats: ['JSONEmbedded'], defaultFormat: 'JSONEmbedded' },
    maxSizeInMB: 16,
    revocationSupported: false
  },
  {
    // The id and display name are AWS's (developer guide, "Creating profiles using the AWS CLI"); AWS
    // publishes no listing of this platform's other settings: partner, target and image format are inferred
    // from its id and from the Lambda platform, which shares its algorithms; no size limit is invented. Signatures made on
    // it can be revoked (developer guide, "Revoke signatures"; GetRevocationStatus serves them).
    platformId: NOTATION_PLATFORM,
    displayName: 'Notation for container registries',
    partner: 'Notation',
    target: 'OCI-SHA384-ECDSA',
    category: 'AWS',
    signingConfiguration: {
      encryptionAlgorithmOptions: { allowedValues: ['ECDSA'], defaultValue: 'ECDSA' },
      hashAlgorithmOptions: { allowedValues: ['SHA384'], defaultValue: 'SHA384' }
    },
    signingImageFormat: { supportedFormats: ['JSONDetached'], defaultFormat: 'JSONDetached' },
    revocationSupported: true
  }
]

export function findPlatform(platformId: string): SigningPlatform | undefined {
  return PLATFORMS.find(platform => platform.platformId === platformId)
}

/** node:crypto's digest name for a Signer hash algorithm. */
export function digestName(hash: HashAlgorithm): string {
  return { SHA1: 'sha1', SHA256: 'sha256', SHA384: 'sha384' }[hash]
}

/** The curve a profile's ECDSA key uses: P-384 for SHA-384, P-256 otherwise. */
export function curveFor(hash: HashAlgorithm): 'P-256' | 'P-384' {
  return hash === 'SHA384' ? 'P-384' : 'P-256'
}
