/** Text from inputs and the API goes into the job summary's HTML: escape it so `<b>` or `&` shows as written. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

export function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`
}
