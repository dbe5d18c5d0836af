import { S3ServiceException } from '@aws-sdk/client-s3'
import { ResourceNotFoundException } from '@aws-sdk/client-signer'
import { InputError, errorMessage } from '../../src/errors'

describe('errorMessage', () => {
  it('names the SDK exception before its message', () => {
    const error = new ResourceNotFoundException({ message: 'No signing job with id x.', $metadata: {} })
    expect(errorMessage(error)).toBe('ResourceNotFoundException: No signing job with id x.')
  })

  it('gives the name alone when the SDK error has no message', () => {
    const error = new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: {} })
    expect(errorMessage(error)).toBe('AccessDenied')
  })

  it("keeps this action's own errors, other errors and non-Errors as they are", () => {
    expect(errorMessage(new InputError('path', 'is required'))).toBe("Input 'path': is required")
    expect(errorMessage(new TypeError('bad'))).toBe('bad')
    expect(errorMessage('just a string')).toBe('just a string')
  })

  it('does not repeat a name the SDK message already starts with', () => {
    const error = new ResourceNotFoundException({ message: 'ResourceNotFoundException: gone', $metadata: {} })
    expect(errorMessage(error)).toBe('ResourceNotFoundException: gone')
  })
})

describe('errorMessage of an S3 error without a body (HEAD)', () => {
  const forbidden = (): S3ServiceException =>
    new S3ServiceException({
      name: 'Forbidden',
      $fault: 'client',
      message: 'UnknownError',
      $metadata: { httpStatusCode: 403 }
    })

  it('gives the HTTP status instead of UnknownError', () => {
    expect(errorMessage(forbidden())).toBe('Forbidden (HTTP 403)')
  })

  it('starts with the operation when the client tagged it', () => {
    const error = Object.assign(forbidden(), { $operation: 'HeadObject' })
    expect(errorMessage(error)).toBe('HeadObject: Forbidden (HTTP 403)')
    const withBody = Object.assign(
      new S3ServiceException({
        name: 'NoSuchBucket',
        $fault: 'client',
        message: 'The specified bucket does not exist',
        $metadata: { httpStatusCode: 404 }
      }),
      { $operation: 'GetBucketVersioning' }
    )
    expect(errorMessage(withBody)).toBe(
      'GetBucketVersioning: NoSuchBucket: The specified bucket does not exist'
    )
  })
})
