import * as core from '@actions/core'
import type { SummaryTableRow } from '@actions/core/lib/summary'
import { iso } from '../revoke/format'
import { profileMeaning, searchLine } from '../revoke/plan'
import { provenanceLine } from '../revoke/provenance'
import { JobResult, Outcome, ProfileResult, RevokeRecord, TargetSource } from '../revoke/types'
import { code, escapeHtml } from './html'

const OUTCOME_TEXT: Record<Outcome, string> = {
  revoked: '✅ revoked',
  'already-revoked': '⏭️ already revoked',
  failed: '❌ failed',
  planned: '📝 planned (dry run)'
}

/** How many targets ended each way: '3 revoked, 1 already revoked, 1 failed'. */
export function countLine(jobs: readonly JobResult[]): string {
  const counts = new Map<Outcome, number>()
  for (const job of jobs) counts.set(job.outcome, (counts.get(job.outcome) ?? 0) + 1)
  const order: Outcome[] = ['revoked', 'planned', 'already-revoked', 'failed']
  const parts = order
    .filter(outcome => counts.has(outcome))
    .map(outcome => `${counts.get(outcome)} ${outcome === 'planned' ? 'planned' : outcome.replace('-', ' ')}`)
  return `${jobs.length} signing job(s)${parts.length ? `: ${parts.join(', ')}` : ''}`
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function profileItem(profile: ProfileResult): string {
  const { target } = profile
  const name = `profile ${code(target.profileName)} version ${code(target.profileVersion)}`
  const effective = `effective ${code(iso(target.effectiveTime))}`
  const meaning = escapeHtml(profileMeaning(target))
  const why = profile.detail ? `: ${escapeHtml(profile.detail)}` : ''
  // A revocation repeated to move its start earlier says from when it was revoked before.
  const again = profile.detail ? ` (${escapeHtml(profile.detail)})` : ''
  switch (profile.outcome) {
    case 'revoked':
      return `Profile revocation: ${OUTCOME_TEXT.revoked} ${name} ${effective}${again}. ${capitalize(meaning)}.`
    case 'planned':
      return `Profile revocation: ${OUTCOME_TEXT.planned} ${name} ${effective}${again}. Once run, ${meaning}.`
    case 'already-revoked':
      return `Profile revocation: ${OUTCOME_TEXT['already-revoked']} ${name}${why}.`
    case 'failed':
      return `Profile revocation: ${OUTCOME_TEXT.failed} ${name} ${effective}${why}.`
  }
}

/** One row per target; an unknown value shows as '—' (core.summary renders an empty cell as an unclosed tag). */
function jobRow(job: JobResult): string[] {
  const profile = job.profileName
    ? `${escapeHtml(job.profileName)}${job.profileVersion ? ` ${code(job.profileVersion)}` : ''}`
    : '—'
  return [
    code(job.jobId),
    SOURCE_TEXT[job.source],
    profile,
    job.createdAt ? iso(job.createdAt) : '—',
    OUTCOME_TEXT[job.outcome],
    job.detail ? escapeHtml(job.detail) : '—'
  ]
}

const SOURCE_TEXT: Record<TargetSource, string> = {
  'job-id': 'job-id input',
  search: 'time-window search',
  provenance: 'provenance record'
}

const HEADER: SummaryTableRow = ['Signing job', 'Source', 'Profile', 'Created', 'Result', 'Details'].map(
  data => ({
    data,
    header: true
  })
)

/** Appends the incident record to the step summary: what was revoked, why, by whom and when. */
export async function writeRevokeSummary(record: RevokeRecord): Promise<void> {
  const title = record.dryRun ? 'Signature revocation: dry run, nothing revoked' : 'Signature revocation'
  const run = record.runUrl
    ? `<a href="${escapeHtml(record.runUrl)}">${escapeHtml(record.repository)} run</a>`
    : escapeHtml(record.repository)
  const items = [
    `Reason: ${escapeHtml(record.reason)}`,
    `Run by: ${record.actor ? code(record.actor) : 'unknown actor'}`,
    `Started at: ${code(record.startedAt)}`,
    `Workflow run: ${run}`
  ]
  if (record.profile) items.push(profileItem(record.profile))
  if (record.search) items.push(`Time-window search: ${escapeHtml(searchLine(record.search))}`)
  if (record.provenance) items.push(`Provenance: ${escapeHtml(provenanceLine(record.provenance))}`)
  items.push(`Result: ${escapeHtml(countLine(record.jobs))}`)

  const summary = core.summary.addHeading(title, 2).addList(items)
  if (record.jobs.length > 0) summary.addTable([HEADER, ...record.jobs.map(jobRow)])
  await summary.write()
}
