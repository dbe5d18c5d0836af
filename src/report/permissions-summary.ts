import * as core from '@actions/core'
import type { SummaryTableRow } from '@actions/core/lib/summary'
import { applyChanges } from '../permissions/plan'
import { PermissionsRecord, Statement } from '../permissions/types'
import { code, escapeHtml } from './html'

const HEADER: SummaryTableRow = ['Statement', 'Principal', 'Action', 'Profile version', 'Change'].map(
  data => ({ data, header: true })
)

/** One row per statement; an unknown value shows as '—' (core.summary renders an empty cell as an unclosed tag). */
function statementRow(statement: Statement, change: string): string[] {
  return [
    code(statement.statementId),
    code(statement.principal),
    code(statement.action),
    statement.profileVersion ? code(statement.profileVersion) : 'all versions',
    change
  ]
}

function title(record: PermissionsRecord): string {
  const base = `Signing profile permissions: ${record.operation} on ${record.profileName}`
  return record.dryRun && record.operation !== 'list' ? `${base} (dry run, nothing written)` : base
}

/** What this run did (or, in a dry run, would do): after a conflict, the writes of every round. */
function changesOf(record: PermissionsRecord) {
  return (record.dryRun ? record.result?.plan.changes : record.result?.written) ?? []
}

function resultLine(record: PermissionsRecord): string {
  const { result } = record
  if (!result) return `${record.before.statements.length} statement(s)`
  const changes = changesOf(record)
  const adds = changes.filter(c => c.kind === 'add').length
  const removes = changes.length - adds
  if (changes.length === 0) return 'no change needed'
  if (record.dryRun) {
    const would = [adds ? `would add ${adds}` : '', removes ? `would remove ${removes}` : '']
    return `${would.filter(Boolean).join(', ')} statement(s)`
  }
  const done = [adds ? `added ${adds}` : '', removes ? `removed ${removes}` : ''].filter(Boolean).join(', ')
  const retried =
    result.attempts > 1 ? `, after ${result.attempts - 1} conflicting change(s) by someone else` : ''
  return `${done} statement(s)${retried}`
}

function revision(policy: { revisionId?: string }): string {
  return policy.revisionId ? ` (revision ${code(policy.revisionId)})` : ''
}

/** Appends the record to the step summary: who changed which profile's permissions, why, before and after. */
export async function writePermissionsSummary(record: PermissionsRecord): Promise<void> {
  const run = record.runUrl
    ? `<a href="${escapeHtml(record.runUrl)}">${escapeHtml(record.repository)} run</a>`
    : escapeHtml(record.repository)
  const items = [
    `Profile: ${code(record.profileName)}`,
    `Operation: ${code(record.operation)}`,
    `Reason: ${record.reason ? escapeHtml(record.reason) : 'none given'}`,
    `Run by: ${record.actor ? code(record.actor) : 'unknown actor'}`,
    `Started at: ${code(record.startedAt)}`,
    `Workflow run: ${run}`,
    `Result: ${resultLine(record)}`,
    ...(record.result?.plan.notices ?? []).map(notice => `Notice: ${escapeHtml(notice)}`),
    ...(record.result?.plan.warnings ?? []).map(warning => `Warning: ${escapeHtml(warning)}`)
  ]
  const summary = core.summary.addHeading(escapeHtml(title(record)), 2).addList(items)
  const table = (rows: string[][]): void => {
    if (rows.length > 0) summary.addTable([HEADER, ...rows])
    else summary.addRaw('<p>No statements.</p>', true)
  }

  const { before, result } = record
  const changes = changesOf(record)
  const removed = changes.filter(c => c.kind === 'remove').map(c => c.statement)
  const removedIds = new Set(removed.map(s => s.statementId))
  const addedIds = new Set(changes.filter(c => c.kind === 'add').map(c => c.statement.statementId))

  summary.addHeading(`${result ? 'Before' : 'Statements'}${revision(before)}`, 3)
  const removedText = record.dryRun ? '➖ would be removed' : '➖ removed'
  // A statement someone else added after our first read and that we then removed: shown, so the record is whole.
  const appeared = removed.filter(s => !before.statements.some(b => b.statementId === s.statementId))
  table([
    ...before.statements.map(s => statementRow(s, removedIds.has(s.statementId) ? removedText : '—')),
    ...appeared.map(s => statementRow(s, `${removedText} (added by someone else during the run)`))
  ])

  if (result) {
    const afterStatements = record.dryRun ? applyChanges(before.statements, changes) : result.after.statements
    const addedText = record.dryRun ? '➕ would be added' : '➕ added'
    summary.addHeading(record.dryRun ? 'After (planned)' : `After${revision(result.after)}`, 3)
    table(afterStatements.map(s => statementRow(s, addedIds.has(s.statementId) ? addedText : '—')))
  }
  await summary.write()
}
