import { PermissionsConfig } from '../../src/config'
import { configFor, inputErrorOf } from '../support/config'

function permissions(inputs: Record<string, string>): PermissionsConfig {
  return configFor('permissions', { 'profile-name': 'release_signing', ...inputs })
}

describe('permissions mode config', () => {
  it('list needs only the profile', () => {
    expect(permissions({ operation: 'list' })).toEqual({
      mode: 'permissions',
      region: undefined,
      showSummary: true,
      profileName: 'release_signing',
      dryRun: false,
      reason: undefined,
      request: { operation: 'list' }
    })
  })

  it('grant: the statement id is made from the content unless given; the action is matched in any case', () => {
    const derived = permissions({
      operation: 'GRANT',
      principal: 'arn:aws:iam::111122223333:role/ci/release',
      'permission-action': 'signer:signpayload',
      'profile-version': 'AbCdE12345',
      'dry-run': 'true',
      reason: 'CHG-12'
    })
    expect(derived).toMatchObject({
      dryRun: true,
      reason: 'CHG-12',
      request: {
        operation: 'grant',
        derivedId: true,
        statement: {
          statementId: 'SignPayload-111122223333-role-ci-release-AbCdE12345',
          principal: 'arn:aws:iam::111122223333:role/ci/release',
          action: 'signer:SignPayload',
          profileVersion: 'AbCdE12345'
        }
      }
    })
    const named = permissions({
      operation: 'grant',
      principal: '111122223333',
      'permission-action': 'signer:StartSigningJob',
      'statement-id': 'partner'
    })
    expect(named.request).toEqual({
      operation: 'grant',
      derivedId: false,
      statement: { statementId: 'partner', principal: '111122223333', action: 'signer:StartSigningJob' }
    })
  })

  it('remove by statement ids (commas or newlines) or by principal narrowed by action and version', () => {
    expect(permissions({ operation: 'remove', 'statement-id': 'a, b\nc' }).request).toEqual({
      operation: 'remove',
      by: 'statement-id',
      statementIds: ['a', 'b', 'c']
    })
    expect(
      permissions({
        operation: 'remove',
        principal: '444455556666',
        'permission-action': 'signer:StartSigningJob',
        'profile-version': 'AbCdE12345'
      }).request
    ).toEqual({
      operation: 'remove',
      by: 'principal',
      principal: '444455556666',
      action: 'signer:StartSigningJob',
      profileVersion: 'AbCdE12345'
    })
  })

  it.each([
    ['arn:aws:iam::111122223333:root', true],
    ['arn:aws-us-gov:iam::111122223333:user/ci', true],
    ['arn:aws:iam::111122223333:role/path/to/deploy', true],
    ['111122223333', true],
    ['11112222333', false],
    ['arn:aws:iam::111122223333:group/admins', false],
    ['arn:aws:sts::111122223333:assumed-role/deploy/session', false],
    ['arn:aws:iam::111122223333:role/', false]
  ])('principal %s accepted: %s', (principal, accepted) => {
    const build = () =>
      permissions({ operation: 'grant', principal, 'permission-action': 'signer:StartSigningJob' })
    if (accepted) expect(build().request).toMatchObject({ statement: { principal } })
    else expect(inputErrorOf(build).input).toBe('principal')
  })

  it.each([
    [
      { operation: 'remove', 'statement-id': 'a', 'permission-action': 'signer:SignPayload' },
      'permission-action'
    ],
    [{ operation: 'remove', 'statement-id': 'a', 'profile-version': 'AbCdE12345' }, 'profile-version'],
    [{ operation: 'remove', 'permission-action': 'signer:SignPayload' }, 'statement-id']
  ])('refuses %j naming %s', (inputs, input) => {
    expect(inputErrorOf(() => permissions(inputs)).input).toBe(input)
  })
  it('a statement-id of only separators is refused, not read as no statement-id', () => {
    const error = inputErrorOf(() => permissions({ operation: 'remove', 'statement-id': ' , \n ,' }))
    expect(error.input).toBe('statement-id')
    expect(error.message).toContain('lists no statement id once commas, newlines and blanks are removed')
  })
})
