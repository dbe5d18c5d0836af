import { ResourceNotFoundException } from '@aws-sdk/client-signer'
import { describeError, iso } from '../../src/revoke/format'

describe('describeError', () => {
  it('names the SDK exception before its message', () => {
    const error = new ResourceNotFoundException({ message: 'No signing job with id x.', $metadata: {} })
    expect(describeError(error)).toBe('ResourceNotFoundException: No signing job with id x.')
  })

  it('keeps a plain Error, a message that already names itself, and a non-Error as they are', () => {
    expect(describeError(new Error('socket hang up'))).toBe('socket hang up')
    const named = new TypeError('TypeError: bad')
    expect(describeError(named)).toBe('TypeError: bad')
    expect(describeError('just a string')).toBe('just a string')
  })
})

describe('iso', () => {
  it('formats a time as ISO-8601 UTC, and nothing as empty', () => {
    expect(iso(new Date('2026-11-20T10:00:00+02:00'))).toBe('2026-11-20T08:00:00.000Z')
    expect(iso(undefined)).toBe('')
  })
})
