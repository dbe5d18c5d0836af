/** Markdown as GitHub renders it, for the tests of the README, docs/ and the links into them. */

/** The text outside fenced code blocks. */
export function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '')
}

/** The fenced code blocks' contents. */
export function codeBlocks(text: string): string[] {
  return [...text.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].map(match => match[1])
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>()
  const result = new Set<string>()
  for (const match of prose(text).matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const base = match[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-')
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    result.add(count === 0 ? base : `${base}-${count}`)
  }
  return result
}
