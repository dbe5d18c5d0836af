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
      principal: 'arn:aws:iam::111122223333:role/ci-release',
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
          principal: 'arn:aws:iam::111122223333:role/ci-release',
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
    '111122223333',
    'arn:aws:iam::111122223333:role/deploy',
    'arn:aws-us-gov:iam::111122223333:role/ci.release@x'
  ])('principal %s, a form AWS Signer takes, is used as given', principal => {
    expect(
      permissions({ operation: 'grant', principal, 'permission-action': 'signer:StartSigningJob' }).request
    ).toMatchObject({ statement: { principal } })
  })

  it('an account root ARN is the account: used as its id, with a note saying so', () => {
    const grant = permissions({
      operation: 'grant',
      principal: 'arn:aws:iam::111122223333:root',
      'permission-action': 'signer:StartSigningJob'
    })
    expect(grant.request).toMatchObject({
      statement: { principal: '111122223333', statementId: 'StartSigningJob-111122223333' },
      principalNote: expect.stringContaining('used as account ID 111122223333')
    })
    const remove = permissions({ operation: 'remove', principal: 'arn:aws-cn:iam::444455556666:root' })
    expect(remove.request).toMatchObject({ by: 'principal', principal: '444455556666' })
  })

  it.each([
    ['arn:aws:iam::111122223333:user/ci', /IAM user.*Grant the account ID 111122223333/],
    ['arn:aws:iam::111122223333:role/path/to/deploy', /role ARN with a path.*account ID 111122223333/],
    [
      'arn:aws:sts::111122223333:assumed-role/deploy/session',
      /role session.*arn:aws:iam::111122223333:role\/deploy/
    ],
    ['*', /expected a 12-digit AWS account ID .* or an IAM role ARN/],
    ['11112222333', /Principal is not a valid AWS account id or IAM Role Arn/],
    ['arn:aws:iam::111122223333:group/admins', /expected a 12-digit/],
    ['arn:aws:iam::111122223333:role/', /expected a 12-digit/]
  ])('principal %s is refused before any call, naming the forms AWS takes', (principal, message) => {
    for (const operation of ['grant', 'remove']) {
      const error = inputErrorOf(() =>
        permissions({ operation, principal, 'permission-action': 'signer:StartSigningJob' })
      )
      expect(error.input).toBe('principal')
      expect(error.message).toMatch(message)
    }
  })

  it('a statement id follows the tested clients: 1-64 letters, digits, _ and -', () => {
    const grant = (id: string) => () =>
      permissions({
        operation: 'grant',
        principal: '111122223333',
        'permission-action': 'signer:StartSigningJob',
        'statement-id': id
      })
    expect(grant('a'.repeat(64))().request).toMatchObject({ statement: { statementId: 'a'.repeat(64) } })
    for (const bad of ['a'.repeat(65), 'with space', 'colon:x']) {
      expect(inputErrorOf(grant(bad)).message).toContain('expected 1-64 letters')
    }
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
