import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import * as core from '@actions/core'

// core.summary keeps the first GITHUB_STEP_SUMMARY path it sees: one file serves every test of a file.
const SUMMARY_FILE = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'summary-')), 'summary.md')

/** The step summary file after `write` (a write*Summary call), starting from `before`. */
export async function writtenSummary(write: () => Promise<void>, before = ''): Promise<string> {
  fs.writeFileSync(SUMMARY_FILE, before)
  const previous = process.env.GITHUB_STEP_SUMMARY
  process.env.GITHUB_STEP_SUMMARY = SUMMARY_FILE
  try {
    await write()
  } finally {
    if (previous === undefined) delete process.env.GITHUB_STEP_SUMMARY
    else process.env.GITHUB_STEP_SUMMARY = previous
    core.summary.emptyBuffer()
  }
  return fs.readFileSync(SUMMARY_FILE, 'utf8')
}
