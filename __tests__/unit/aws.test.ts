import { Readable } from 'node:stream'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { SignerClient } from '@aws-sdk/client-signer'
import { createAwsClients } from '../../src/aws'
import { InputError, errorMessage } from '../../src/errors'

async function retryMode(client: SignerClient): Promise<string | undefined> {
  const strategy = (await client.config.retryStrategy()) as { mode?: string }
  return strategy.mode
}

describe('createAwsClients', () => {
  it('takes the region from the input before the environment', async () => {
    const clients = createAwsClients('eu-central-1', { AWS_REGION: 'us-east-1' })
    expect(clients.region).toBe('eu-central-1')
    expect(await clients.signer.config.region()).toBe('eu-central-1')
    expect(await clients.s3.config.region()).toBe('eu-central-1')
  })

  it('falls back to AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(createAwsClients(undefined, { AWS_REGION: 'us-west-2' }).region).toBe('us-west-2')
    expect(createAwsClients(undefined, { AWS_DEFAULT_REGION: 'ap-south-1' }).region).toBe('ap-south-1')
  })

  it('names aws-region when no region is known or it is malformed', () => {
    expect(() => createAwsClients(undefined, {})).toThrow(InputError)
    expect(() => createAwsClients(undefined, {})).toThrow(/'aws-region'.*AWS_REGION/)
    expect(() => createAwsClients('mars', {})).toThrow(/'aws-region': expected a region like us-east-1/)
  })

  it('uses path-style S3 addressing only with a custom S3 endpoint', () => {
    expect(createAwsClients('us-east-1', {}).s3.config.forcePathStyle).toBe(false)
    const local = createAwsClients('us-east-1', { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:5000' })
    expect(local.s3.config.forcePathStyle).toBe(true)
  })

  it('leaves off the data- host prefix of GetRevocationStatus only with a custom Signer endpoint', () => {
    expect(createAwsClients('us-east-1', {}).signer.config.disableHostPrefix).toBe(false)
    for (const env of [
      { AWS_ENDPOINT_URL_SIGNER: 'http://127.0.0.1:4566' },
      { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }
    ]) {
      expect(createAwsClients('us-east-1', env).signer.config.disableHostPrefix).toBe(true)
    }
  })

  it('builds the Lambda client of verify mode in the same Region, with the same retries', async () => {
    const { lambda } = createAwsClients('eu-west-1', {})
    expect(await lambda?.config.region()).toBe('eu-west-1')
    expect(await lambda?.config.maxAttempts()).toBe(10)
  })

  it('retries more than the SDK default, in the standard mode, unless the environment says otherwise', async () => {
    const clients = createAwsClients('us-east-1', {})
    expect(await clients.signer.config.maxAttempts()).toBe(10)
    expect(await clients.s3.config.maxAttempts()).toBe(10)
    expect(await retryMode(clients.signer)).toBe('standard')
    const chosen = createAwsClients('us-east-1', { AWS_MAX_ATTEMPTS: '4', AWS_RETRY_MODE: 'adaptive' })
    expect(await chosen.signer.config.maxAttempts()).toBe(4)
    expect(await retryMode(chosen.signer)).toBe('adaptive')
  })
})

describe('S3 errors name their operation', () => {
  it('tags an error with the command that failed, so that errorMessage names it', async () => {
    const { s3 } = createAwsClients('us-east-1', {})
    s3.config.credentials = async () => ({ accessKeyId: 'AKIDTEST', secretAccessKey: 'test' })
    // A request handler that answers as S3 does to a HEAD without s3:ListBucket: 403, no body.
    s3.config.requestHandler = {
      handle: async () => ({
        response: { statusCode: 403, headers: {}, body: Readable.from([]) }
      })
    } as unknown as typeof s3.config.requestHandler
    const error = await s3
      .send(new HeadObjectCommand({ Bucket: 'artifacts', Key: 'missing' }))
      .catch((caught: unknown) => caught)
    expect(errorMessage(error)).toBe('HeadObject: Forbidden (HTTP 403)')
  })
})
