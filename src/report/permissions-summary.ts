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

function resultLine(record: PermissionsRecord): string {
  const { result } = record
  if (!result) return `${record.before.statements.length} statement(s)`
  const adds = result.plan.changes.filter(c => c.kind === 'add').length
  const removes = result.plan.changes.length - adds
  if (record.dryRun) {
    const would = [adds ? `would add ${adds}` : '', removes ? `would remove ${removes}` : '']
    return adds || removes ? `${would.filter(Boolean).join(', ')} statement(s)` : 'no change needed'
  }
  if (!result.changed) return 'no change needed'
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
    ...(record.result?.plan.notices ?? []).map(notice => `Notice: ${escapeHtml(notice)}`)
  ]
  const summary = core.summary.addHeading(escapeHtml(title(record)), 2).addList(items)

  const { result } = record
  // The revision the change was written to: after a conflict, the one read last, not the first.
  const before = result?.basis ?? record.before
  const changes = result?.plan.changes ?? []
  const removed = new Set(changes.filter(c => c.kind === 'remove').map(c => c.statement.statementId))
  const table = (rows: string[][]): void => {
    if (rows.length > 0) summary.addTable([HEADER, ...rows])
    else summary.addRaw('<p>No statements.</p>', true)
  }

  summary.addHeading(`${result ? 'Before' : 'Statements'}${revision(before)}`, 3)
  const removedText = record.dryRun ? '➖ would be removed' : '➖ removed'
  table(before.statements.map(s => statementRow(s, removed.has(s.statementId) ? removedText : '—')))

  if (result) {
    const afterStatements = record.dryRun ? applyChanges(before.statements, changes) : result.after.statements
    const added = new Set(changes.filter(c => c.kind === 'add').map(c => c.statement.statementId))
    const addedText = record.dryRun ? '➕ would be added' : '➕ added'
    const heading = record.dryRun ? 'After (planned)' : `After${revision(result.after)}`
    summary.addHeading(heading, 3)
    table(afterStatements.map(s => statementRow(s, added.has(s.statementId) ? addedText : '—')))
  }
  await summary.write()
}
