import { createAwsClients } from '../../src/aws'
import { InputError } from '../../src/errors'

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

  it('retries more than the SDK default unless AWS_MAX_ATTEMPTS says otherwise', async () => {
    expect(await createAwsClients('us-east-1', {}).signer.config.maxAttempts()).toBe(6)
  })
})
