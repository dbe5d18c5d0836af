import { LambdaClient } from '@aws-sdk/client-lambda'
import { S3Client } from '@aws-sdk/client-s3'
import { SignerClient } from '@aws-sdk/client-signer'
import { InputError, OperationTagged, SignerOperationTagged } from './errors'

export interface AwsClients {
  s3: S3Client
  signer: SignerClient
  /** Verify mode reads the functions of a Region; optional so that tests of the other modes need not build it. */
  lambda?: LambdaClient
  region: string
}

const USER_AGENT: [string, string] = ['aws-signer-action', '1']

/**
 * Enough attempts to ride out throttling during a large revocation or a burst of signing jobs: the SDK
 * backs off with jitter between them (six attempts did not always survive the revocation test's throttling).
 * AWS_MAX_ATTEMPTS and AWS_RETRY_MODE, when set, win.
 */
const DEFAULT_MAX_ATTEMPTS = 10

/**
 * The standard mode, not the adaptive one: on bursts of throttling (8 revocations in flight) the adaptive
 * rate limiter slowed a 220-job revocation from about 12 s to about 50 s, and an incident wants the fast one.
 */
const RETRY_MODE = 'standard'

/**
 * The one place the SDK clients are built. Endpoints are the SDK's own: AWS_ENDPOINT_URL_S3,
 * AWS_ENDPOINT_URL_SIGNER, AWS_ENDPOINT_URL_LAMBDA or AWS_ENDPOINT_URL. A custom S3 endpoint (moto, MinIO)
 * needs path-style addressing, since bucket subdomains of 127.0.0.1 do not resolve. Signer serves
 * GetRevocationStatus from the `data-` host prefix (the model's `endpoint.hostPrefix`): against a custom Signer
 * endpoint the prefix is left off, since data-127.0.0.1 does not resolve either.
 */
export function createAwsClients(
  regionInput: string | undefined,
  env: NodeJS.ProcessEnv = process.env
): AwsClients {
  const region = regionInput ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION
  if (!region) {
    throw new InputError('aws-region', 'is required when neither AWS_REGION nor AWS_DEFAULT_REGION is set')
  }
  if (!/^[a-z]{2}(-[a-z0-9]+)+-\d+$/.test(region)) {
    throw new InputError('aws-region', `expected a region like us-east-1, got '${region}'`)
  }
  const maxAttempts = /^\d+$/.test(env.AWS_MAX_ATTEMPTS ?? '')
    ? Number(env.AWS_MAX_ATTEMPTS)
    : DEFAULT_MAX_ATTEMPTS
  const retryMode = env.AWS_RETRY_MODE || RETRY_MODE
  const customS3Endpoint = Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL)
  const customSignerEndpoint = Boolean(env.AWS_ENDPOINT_URL_SIGNER || env.AWS_ENDPOINT_URL)
  const shared = { region, maxAttempts, retryMode, customUserAgent: [USER_AGENT] }
  return {
    region,
    s3: nameOperationInErrors(new S3Client({ ...shared, forcePathStyle: customS3Endpoint })),
    signer: nameSignerOperationInErrors(
      new SignerClient({ ...shared, disableHostPrefix: customSignerEndpoint })
    ),
    lambda: new LambdaClient(shared)
  }
}

type Tag = '$operation' | '$signerOperation'

/** Sets `tag` on every error of `client` to the command that failed, without 'Command'. */
function tagErrors<C extends S3Client | SignerClient>(client: C, tag: Tag): C {
  // The two clients' middleware stacks differ only in their input and output types.
  ;(client.middlewareStack as S3Client['middlewareStack']).add(
    (next, context) => async args => {
      try {
        return await next(args)
      } catch (error) {
        const operation = context.commandName?.replace(/Command$/, '')
        if (error instanceof Error && operation)
          (error as OperationTagged & SignerOperationTagged)[tag] = operation
        throw error
      }
    },
    { step: 'initialize', name: `tagErrors${tag}` }
  )
  return client
}

/**
 * S3 errors carry no operation name, and a HEAD error no message: 'Forbidden' alone does not say whether
 * HeadObject or an upload part was refused. Each S3 error is tagged with the command that failed (lib-storage's
 * multipart calls included), and errorMessage prints it.
 */
export function nameOperationInErrors(s3: S3Client): S3Client {
  return tagErrors(s3, '$operation')
}

/**
 * Signer errors are tagged too, under another name: the modes already say which Signer call failed where they
 * report it, so errorMessage leaves it out; an error no mode caught is named by the step's failure message
 * (src/failure.ts) instead of reaching the user without its call.
 */
export function nameSignerOperationInErrors(signer: SignerClient): SignerClient {
  return tagErrors(signer, '$signerOperation')
}
