import { hasUnsafeCharacter, logSafe } from '../../src/report/log-text'

describe('logSafe', () => {
  it.each([
    ['a\n::warning::forged', 'a\\n::warning::forged'],
    ['cr\r', 'cr\\r'],
    ['tab\t', 'tab\\t'],
    ['esc\u001b[31m', 'esc\\u001b[31m'],
    ['c1\u0085', 'c1\\u0085'],
    ['ls\u2028', 'ls\\u2028'],
    ['back\\slash', 'back\\\\slash'],
    ['plain name-1.2 (x).zip', 'plain name-1.2 (x).zip'],
    ['ünïcode ✓', 'ünïcode ✓']
  ])('writes %p on one line as %p', (text, escaped) => {
    expect(logSafe(text)).toBe(escaped)
    expect(logSafe(text)).not.toMatch(/[\n\r]/)
  })

  it('is told apart: two different texts never escape to the same line', () => {
    expect(logSafe('a\\nb')).not.toBe(logSafe('a\nb'))
  })
})

describe('hasUnsafeCharacter', () => {
  it.each(['\n', '\r', '\u0000', '\u007f', '\u009b', '\u2029'])('finds %p', char => {
    expect(hasUnsafeCharacter(`name${char}`)).toBe(true)
  })

  it('passes ordinary names', () => {
    expect(hasUnsafeCharacter('dist/app v1.2 (final) ü.zip')).toBe(false)
  })
})
