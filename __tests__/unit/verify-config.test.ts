import { configFor, inputErrorOf, reader } from '../support/config'
import { buildConfig } from '../../src/config'

const WORKSPACE = '/home/runner/work/app'
const ENV = { GITHUB_WORKSPACE: WORKSPACE }
const PROFILE = 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/release_signing'

const verify = (inputs: Record<string, string>) => configFor('verify', inputs, ENV)

describe('verify config', () => {
  it('reads job-id as revoke does, the manifest inside the workspace, and the trusted profiles', () => {
    const config = verify({
      'job-id': 'a1, b2\nb2',
      manifest: 'signed/manifest.json',
      'trusted-profile': `${PROFILE}\n${PROFILE}/AbCdE12345`
    })
    expect(config.jobIds).toEqual(['a1', 'b2'])
    expect(config.manifestPath).toBe(`${WORKSPACE}/signed/manifest.json`)
    expect(config.trustedProfiles).toEqual([
      { arn: PROFILE, profileArn: PROFILE },
      { arn: `${PROFILE}/AbCdE12345`, profileArn: PROFILE, profileVersion: 'AbCdE12345' }
    ])
    expect(config.functions).toBeUndefined()
  })

  it("reads lambda-function as names (with qualifiers or ARNs) or '*' alone", () => {
    expect(verify({ 'lambda-function': '*' }).functions).toEqual({ kind: 'all' })
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:api:live'
    expect(verify({ 'lambda-function': `api, worker:3\n${arn}` }).functions).toEqual({
      kind: 'named',
      names: ['api', 'worker:3', arn]
    })
  })

  it('leaves trusted-profile undefined when not given: every profile is trusted', () => {
    expect(verify({ 'job-id': 'a1' }).trustedProfiles).toBeUndefined()
  })

  it.each([
    [{}, 'mode', /nothing to verify: give manifest .*, job-id, or lambda-function/],
    [{ 'job-id': ' , ' }, 'job-id', /lists no job id/],
    [{ 'job-id': 'a b' }, 'job-id', /'a b' is not a signing job id/],
    [{ 'job-id': 'a1', 'trusted-profile': '*' }, 'trusted-profile', /'\*' is a wildcard/],
    [{ 'job-id': 'a1', 'trusted-profile': `${PROFILE}/*` }, 'trusted-profile', /is a wildcard/],
    [
      { 'job-id': 'a1', 'trusted-profile': 'release_signing' },
      'trusted-profile',
      /expected a signing profile ARN/
    ],
    [
      { 'job-id': 'a1', 'trusted-profile': 'arn:aws:lambda:us-east-1:123456789012:function:x' },
      'trusted-profile',
      /expected a signing profile ARN/
    ],
    [{ manifest: '../elsewhere/manifest.json' }, 'manifest', /must be a file inside the workspace/],
    [{ manifest: '/etc/manifest.json' }, 'manifest', /must be a file inside the workspace/],
    [
      { 'lambda-function': '*, api' },
      'lambda-function',
      /'\*' means every function of the Region: give it alone/
    ],
    [{ 'lambda-function': 'my function' }, 'lambda-function', /expected a function name or ARN/]
  ])('rejects %j naming %s', (inputs, input, message) => {
    const error = inputErrorOf(() => buildConfig(reader({ mode: 'verify', ...inputs }), ENV))
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
  })
})
