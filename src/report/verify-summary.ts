import * as core from '@actions/core'
import type { SummaryTableRow } from '@actions/core/lib/summary'
import { iso } from '../revoke/format'
import { FunctionVerdict, JobVerdict, VerifyRecord } from '../verify/types'
import { code, escapeHtml } from './html'
import { overallVerdict } from './verify-outputs'

const VERDICT_TEXT: Record<FunctionVerdict['verdict'], string> = {
  valid: '✅ valid',
  invalid: '❌ invalid',
  unsigned: '⚠️ unsigned'
}

const JOB_HEADER: SummaryTableRow = ['Signing job', 'Verdict', 'Profile version', 'Signed at', 'Checks'].map(
  data => ({ data, header: true })
)
const FUNCTION_HEADER: SummaryTableRow = ['Function', 'Verdict', 'Signing job', 'Reasons'].map(data => ({
  data,
  header: true
}))

/** Each check on its own line, failures first; '—' stands for an empty cell (core.summary needs content). */
function checksCell(job: JobVerdict): string {
  const ordered = [...job.checks.filter(check => !check.ok), ...job.checks.filter(check => check.ok)]
  return ordered
    .map(check => `${check.ok ? '✅' : '❌'} ${code(check.check)}: ${escapeHtml(check.reason)}`)
    .join('<br>')
}

function jobRow(job: JobVerdict): string[] {
  return [
    code(job.jobId),
    VERDICT_TEXT[job.verdict],
    job.profileVersionArn ? code(job.profileVersionArn) : '—',
    job.signedAt ? code(iso(job.signedAt)) : '—',
    checksCell(job)
  ]
}

function functionRow(fn: FunctionVerdict): string[] {
  return [
    code(fn.name),
    VERDICT_TEXT[fn.verdict],
    fn.jobId ? code(fn.jobId) : '—',
    fn.reasons.length ? fn.reasons.map(escapeHtml).join('<br>') : '—'
  ]
}

/** Appends the verdicts to the step summary: each job with every check and its reason, then the functions. */
export async function writeVerifySummary(record: VerifyRecord): Promise<void> {
  const verdict = overallVerdict(record)
  const trust = record.trustedProfiles
    ? `Trusted profiles: ${record.trustedProfiles.map(code).join(', ')}`
    : 'Trusted profiles: none named (trusted-profile not given): every profile of the jobs this account owns or started was trusted'
  const items = [
    `Verdict: ${verdict === 'valid' ? VERDICT_TEXT.valid : VERDICT_TEXT.invalid}`,
    trust,
    `Checked at: ${code(iso(record.now))}`,
    ...(record.manifestPath ? [`Manifest: ${code(record.manifestPath)}`] : []),
    `Signing jobs: ${record.jobs.length}, invalid: ${record.jobs.filter(job => job.verdict === 'invalid').length}`
  ]
  if (record.functionScope) {
    const unsigned = record.functions.filter(fn => fn.verdict === 'unsigned').length
    const scope = record.functionScope === 'all' ? 'every function of the Region' : 'the named functions'
    items.push(
      `Lambda functions (${scope}): ${record.functions.length}, invalid: ${
        record.functions.filter(fn => fn.verdict === 'invalid').length
      }, unsigned: ${unsigned}`
    )
  }
  const summary = core.summary.addHeading('Signature verification', 2).addList(items)
  if (record.jobs.length > 0) summary.addTable([JOB_HEADER, ...record.jobs.map(jobRow)])
  if (record.functionScope) {
    summary.addHeading('Lambda functions', 3)
    if (record.functions.length > 0) summary.addTable([FUNCTION_HEADER, ...record.functions.map(functionRow)])
    else summary.addRaw('<p>No function.</p>', true)
  }
  await summary.write()
}
