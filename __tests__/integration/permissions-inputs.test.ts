import { errorLines, runAction } from '../../scripts/run-action'
import { LocalStack, startStack } from '../../scripts/stack'

let stack: LocalStack

beforeAll(async () => {
  stack = await startStack()
})

afterAll(async () => {
  await stack?.stop()
})

const PARTNER = '111122223333'
const GRANT = { operation: 'grant', principal: PARTNER, 'permission-action': 'signer:StartSigningJob' }

/** Each bad input, and the words the failure must say: the input's name and what is expected. */
const CASES: [string, Record<string, string>, RegExp][] = [
  [
    'no operation',
    { operation: '' },
    /Input 'operation': is required in permissions mode: one of list, grant, remove/
  ],
  [
    'an unknown operation',
    { operation: 'revoke' },
    /Input 'operation': expected one of list, grant, remove, got 'revoke'/
  ],
  [
    'no profile name',
    { operation: 'list', 'profile-name': '' },
    /Input 'profile-name': is required in permissions mode/
  ],
  [
    'a malformed profile name',
    { operation: 'list', 'profile-name': 'release-signing' },
    /Input 'profile-name': expected 2-64 letters, digits or underscores/
  ],
  [
    'a principal that is neither an account id nor an IAM ARN',
    { ...GRANT, principal: '1234' },
    /Input 'principal': expected a 12-digit AWS account ID .* or an IAM role ARN .*'Principal is not a valid AWS account id or IAM Role Arn'; got '1234'/
  ],
  [
    'a wildcard principal',
    { ...GRANT, principal: '*' },
    /Input 'principal': expected a 12-digit AWS account ID/
  ],
  [
    'an S3 ARN as principal',
    { ...GRANT, principal: 'arn:aws:s3:::artifacts' },
    /Input 'principal': expected a 12-digit AWS account ID .* or an IAM role ARN/
  ],
  [
    'an IAM user ARN as principal, for grant and remove alike',
    { operation: 'remove', principal: `arn:aws:iam::${PARTNER}:user/ci` },
    /Input 'principal': .* is an IAM user; expected .* Grant the account ID 111122223333, or a role the user assumes/
  ],
  [
    'a role ARN with a path, which AWS Signer refuses',
    { ...GRANT, principal: `arn:aws:iam::${PARTNER}:role/teams/signer` },
    /Input 'principal': .* is a role ARN with a path.*give the account ID 111122223333/
  ],
  [
    'an action AWS does not let a profile grant',
    { ...GRANT, 'permission-action': 'signer:PutSigningProfile' },
    /Input 'permission-action': expected one of signer:StartSigningJob, signer:SignPayload, signer:GetSigningProfile, signer:RevokeSignature, got 'signer:PutSigningProfile'/
  ],
  ['grant without a principal', { ...GRANT, principal: '' }, /Input 'principal': is required for grant/],
  [
    'grant without an action',
    { ...GRANT, 'permission-action': '' },
    /Input 'permission-action': is required for grant: one of signer:StartSigningJob/
  ],
  [
    'grant with two statement ids',
    { ...GRANT, 'statement-id': 'a, b' },
    /Input 'statement-id': grant adds one statement: give one id, got 2/
  ],
  [
    'grant with a statement id of other characters',
    { ...GRANT, 'statement-id': 'partner:sign' },
    /Input 'statement-id': expected 1-64 letters, digits, '_' or '-', got 'partner:sign'/
  ],
  [
    'remove with neither statement id nor principal',
    { operation: 'remove' },
    /Input 'statement-id': remove needs statement-id \(the statements to remove\) or principal/
  ],
  [
    'remove with a statement id and a principal',
    { operation: 'remove', 'statement-id': 'a', principal: PARTNER },
    /Input 'principal': must be left out when remove names statement-id/
  ],
  [
    'a statement list of separators only',
    { operation: 'remove', 'statement-id': ' ,\n, ' },
    /Input 'statement-id': lists no statement id/
  ],
  [
    'a profile version of the wrong length',
    { ...GRANT, 'profile-version': 'v1' },
    /Input 'profile-version': expected 10 letters or digits, got 'v1'/
  ],
  [
    'a dry-run that is not a boolean',
    { ...GRANT, 'dry-run': 'yes' },
    /Input 'dry-run': expected 'true' or 'false', got 'yes'/
  ],
  [
    'a reason over 500 characters',
    { ...GRANT, reason: 'x'.repeat(501) },
    /Input 'reason': must be 1-500 characters, got 501/
  ]
]

describe('permissions mode: bad inputs fail before any AWS call', () => {
  it.each(CASES)('%s', async (_name, inputs, message) => {
    await stack.emulator.admin.clearCalls()
    const run = await runAction({
      inputs: { mode: 'permissions', 'profile-name': stack.profileName, ...inputs },
      env: stack.env
    })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run)).toEqual([expect.stringMatching(message)])
    expect(await stack.emulator.admin.calls()).toEqual([])
    expect(run.outputs).toEqual({})
  })
})
