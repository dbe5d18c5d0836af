import { code, escapeHtml } from '../../src/report/html'

describe('summary HTML', () => {
  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
  })

  it('wraps escaped text in <code>', () => {
    expect(code('a<b')).toBe('<code>a&lt;b</code>')
  })
})
