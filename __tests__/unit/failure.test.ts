import { S3ServiceException } from '@aws-sdk/client-s3'
import { AccessDeniedException, TooManyRequestsException } from '@aws-sdk/client-signer'
import { InputError, errorMessage } from '../../src/errors'
import { failureMessage, withoutStack } from '../../src/failure'

const signerError = <E extends Error>(error: E, operation: string): E =>
  Object.assign(error, { $signerOperation: operation })

describe('failureMessage: what the step fails with', () => {
  it('names the Signer call, the code and message, and the fix for that code', () => {
    const denied = signerError(
      new AccessDeniedException({
        message: 'User: arn:aws:sts::1:assumed-role/r/s is not authorized',
        $metadata: {}
      }),
      'ListProfilePermissions'
    )
    expect(failureMessage(denied)).toBe(
      'ListProfilePermissions: AccessDeniedException: User: arn:aws:sts::1:assumed-role/r/s is not authorized. ' +
        'Fix: grant signer:ListProfilePermissions to the role this step runs as (setup/iam/ has the policy of each mode)'
    )
    const throttled = signerError(
      new TooManyRequestsException({ message: 'Rate exceeded.', $metadata: {} }),
      'GetSigningProfile'
    )
    expect(failureMessage(throttled)).toBe(
      "GetSigningProfile: TooManyRequestsException: Rate exceeded. Fix: AWS throttled the calls beyond the SDK's " +
        'retries: run again later, or raise AWS_MAX_ATTEMPTS'
    )
  })

  it('an S3 error keeps the operation errorMessage gives it, and gets a fix', () => {
    const error = Object.assign(
      new S3ServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message: 'Access Denied',
        $metadata: {}
      }),
      { $operation: 'PutObject' }
    )
    expect(failureMessage(error)).toMatch(
      /^PutObject: AccessDenied: Access Denied\. Fix: grant the S3 permission PutObject needs/
    )
  })

  it('an answer that is not AWS JSON says so, without the parser message', () => {
    const error = Object.assign(
      new SyntaxError("Unexpected token '<'\n  Deserialization error: inspect $response"),
      {
        $metadata: { httpStatusCode: 502 },
        $signerOperation: 'ListProfilePermissions'
      }
    )
    expect(failureMessage(error)).toBe(
      "ListProfilePermissions: the answer (HTTP 502) was not AWS's JSON. Fix: check AWS_ENDPOINT_URL* and any " +
        'proxy between the runner and AWS'
    )
  })

  it('an unknown AWS code still names the call and says what to do', () => {
    const error = signerError(
      Object.assign(new Error('odd'), { name: 'SomethingNew', $metadata: {} }),
      'AddProfilePermission'
    )
    expect(failureMessage(error)).toMatch(/^AddProfilePermission: SomethingNew: odd\. Fix: run again/)
  })

  it('credentials that do not resolve get the credentials fix', () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError'
    })
    expect(failureMessage(error)).toMatch(
      /^Could not load credentials from any providers\. Fix: the AWS credentials/
    )
  })

  it("never carries a stack trace, and keeps this action's own messages as they are", () => {
    const withFrames = new Error(
      'boom\n    at async listOnce (/home/runner/dist/index.js:1:2)\n    at run (x.js:3:4)'
    )
    expect(failureMessage(withFrames)).toBe('boom')
    expect(failureMessage(new InputError('principal', 'expected x'))).toBe("Input 'principal': expected x")
    expect(failureMessage('a string')).toBe('a string')
    expect(withoutStack('line one\n  line two\n    at f (a.js:1:1)')).toBe('line one line two')
  })

  it('errorMessage, which sign and revoke print per artifact and job, drops frames too and keeps other lines', () => {
    const error = new Error('first line\nsecond line\n    at listOnce (/x/index.js:10:5)\n    at <anonymous>')
    expect(errorMessage(error)).toBe('first line\nsecond line')
    expect(errorMessage(new Error('meet at noon'))).toBe('meet at noon')
  })
})
