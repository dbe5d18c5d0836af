import { iso } from '../../src/revoke/format'

describe('iso', () => {
  it('formats a time as ISO-8601 UTC, and nothing as empty', () => {
    expect(iso(new Date('2026-11-20T10:00:00+02:00'))).toBe('2026-11-20T08:00:00.000Z')
    expect(iso(undefined)).toBe('')
  })
})
