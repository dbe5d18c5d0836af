import { AccessDeniedException, GetSigningPlatformCommand, SignerClient } from '@aws-sdk/client-signer'
import { mockClient } from 'aws-sdk-client-mock'
import { readPlatforms } from '../../src/revoke/platforms'
import { JobState } from '../../src/revoke/types'

const signer = mockClient(SignerClient)
const client = new SignerClient({ region: 'us-east-1' })
const LAMBDA = 'AWSLambda-SHA384-ECDSA'
const IOT = 'AWSIoTDeviceManagement-SHA256-ECDSA'

function job(platformId?: string): JobState {
  return { kind: 'found', status: 'Succeeded', platformId }
}

beforeEach(() => signer.reset())

describe('readPlatforms', () => {
  it('reads each platform once, however many jobs name it, and answers for each job', async () => {
    signer.on(GetSigningPlatformCommand, { platformId: LAMBDA }).resolves({
      platformId: LAMBDA,
      displayName: 'AWS Lambda',
      revocationSupported: true
    })
    signer
      .on(GetSigningPlatformCommand, { platformId: IOT })
      .rejects(new AccessDeniedException({ message: 'no signer:GetSigningPlatform', $metadata: {} }))
    const jobs = [job(LAMBDA), job(IOT), job(LAMBDA), job(undefined), { kind: 'error' as const, error: 'x' }]
    const platformOf = await readPlatforms(client, [...jobs, job(LAMBDA), undefined])

    expect(signer.commandCalls(GetSigningPlatformCommand).map(call => call.args[0].input)).toEqual([
      { platformId: LAMBDA },
      { platformId: IOT }
    ])
    expect(platformOf(jobs[0])).toEqual({
      kind: 'found',
      platformId: LAMBDA,
      displayName: 'AWS Lambda',
      revocationSupported: true
    })
    expect(platformOf(jobs[1])).toEqual({
      kind: 'error',
      platformId: IOT,
      error: 'AccessDeniedException: no signer:GetSigningPlatform'
    })
    expect(platformOf(jobs[3])).toBeUndefined()
    expect(platformOf(jobs[4])).toBeUndefined()
    expect(platformOf(undefined)).toBeUndefined()
  })

  it('makes no call when no job names a platform', async () => {
    await readPlatforms(client, [job(undefined), undefined])
    expect(signer.commandCalls(GetSigningPlatformCommand)).toEqual([])
  })
})
