import { writePermissionsSummary } from '../../src/report/permissions-summary'
import { PermissionsRecord, Statement } from '../../src/permissions/types'
import { writtenSummary } from '../support/job-summary'

const DEPLOY = '444455556666'
const PARTNER = '111122223333'
const deploySign: Statement = {
  statementId: 'deploy-sign',
  principal: DEPLOY,
  action: 'signer:StartSigningJob'
}
const deployRole: Statement = {
  statementId: 'deploy-role',
  principal: `arn:aws:iam::${DEPLOY}:role/release`,
  action: 'signer:SignPayload',
  profileVersion: 'AbCdE12345'
}
const partner: Statement = { statementId: 'partner', principal: PARTNER, action: 'signer:GetSigningProfile' }

const REMOVAL: PermissionsRecord = {
  operation: 'remove',
  profileName: 'release_signing',
  reason: 'INC-4711: <deploy> account & its roles',
  dryRun: false,
  actor: 'octo-sec',
  startedAt: '2026-11-27T13:00:00.000Z',
  repository: 'acme/firmware',
  runUrl: 'https://github.com/acme/firmware/actions/runs/88',
  before: { revisionId: 'r1', statements: [deploySign, partner], pages: 1 },
  // The first removal went through, the second met a conflict; re-read, deploy-role (added meanwhile) went too.
  result: {
    plan: { changes: [{ kind: 'remove', statement: deployRole }], notices: [] },
    written: [
      { kind: 'remove', statement: deploySign },
      { kind: 'remove', statement: deployRole }
    ],
    after: { revisionId: 'r4', statements: [partner], pages: 1 },
    changed: true,
    attempts: 2
  }
}

/** The step summary file after writePermissionsSummary. */
const written = (record: PermissionsRecord): Promise<string> =>
  writtenSummary(() => writePermissionsSummary(record))

describe('the permissions record in the job summary', () => {
  it('records who ran it, why, and the result, escaping what came from inputs', async () => {
    const html = await written(REMOVAL)
    expect(html).toContain('<h2>Signing profile permissions: remove on release_signing</h2>')
    expect(html).toContain('Reason: INC-4711: &lt;deploy&gt; account &amp; its roles')
    expect(html).toContain('Run by: <code>octo-sec</code>')
    expect(html).toContain('<a href="https://github.com/acme/firmware/actions/runs/88">acme/firmware run</a>')
    expect(html).toContain('Result: removed 2 statement(s), after 1 conflicting change(s) by someone else')
  })

  it('shows the policy before the run, every statement it removed, and the policy after', async () => {
    const html = await written(REMOVAL)
    expect(html).toContain('<h3>Before (revision <code>r1</code>)</h3>')
    expect(html).toContain('<h3>After (revision <code>r4</code>)</h3>')
    const rows = html.match(/<tr>.*?<\/tr>/g) ?? []
    // Before: header + 2 statements read + 1 added meanwhile and removed; after: header + 1.
    expect(rows).toHaveLength(6)
    expect(rows[1]).toContain('<code>deploy-sign</code>')
    expect(rows[1]).toContain('<td>➖ removed</td>')
    expect(rows[2]).toContain('<code>partner</code>')
    expect(rows[3]).toBe(
      '<tr><td><code>deploy-role</code></td><td><code>arn:aws:iam::444455556666:role/release</code></td>' +
        '<td><code>signer:SignPayload</code></td><td><code>AbCdE12345</code></td>' +
        '<td>➖ removed (added by someone else during the run)</td></tr>'
    )
    expect(rows[5]).toContain('<td>all versions</td><td>—</td>')
  })

  it('a dry run says so, and shows the planned policy', async () => {
    const plan = { changes: [{ kind: 'add' as const, statement: partner }], notices: [] }
    const before = { revisionId: 'r1', statements: [deploySign], pages: 1 }
    const html = await written({
      ...REMOVAL,
      operation: 'grant',
      reason: undefined,
      dryRun: true,
      before,
      result: { plan, written: [], after: before, changed: false, attempts: 1 }
    })
    expect(html).toContain('(dry run, nothing written)')
    expect(html).toContain('Reason: none given')
    expect(html).toContain('Result: would add 1 statement(s)')
    expect(html).toContain('<h3>After (planned)</h3>')
    expect(html).toContain('➕ would be added')
  })

  it('a list is one table of the statements; an empty policy says so', async () => {
    const listed = await written({ ...REMOVAL, operation: 'list', result: undefined })
    expect(listed).toContain('<h3>Statements (revision <code>r1</code>)</h3>')
    expect(listed).toContain('Result: 2 statement(s)')
    const empty = await written({
      ...REMOVAL,
      operation: 'list',
      result: undefined,
      before: { statements: [], pages: 1 }
    })
    expect(empty).toContain('<p>No statements.</p>')
  })
})
