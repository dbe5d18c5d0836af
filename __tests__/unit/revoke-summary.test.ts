import { countLine, writeRevokeSummary } from '../../src/report/revoke-summary'
import { RevokeRecord } from '../../src/revoke/types'
import { writtenSummary } from '../support/job-summary'

const RECORD: RevokeRecord = {
  reason: 'CI runner <compromised> & key rotated',
  dryRun: false,
  actor: 'octo-sec',
  startedAt: '2026-11-23T12:00:00.000Z',
  repository: 'acme/firmware',
  runUrl: 'https://github.com/acme/firmware/actions/runs/1001',
  jobs: [
    {
      jobId: 'job-1',
      source: 'job-id',
      outcome: 'revoked',
      profileName: 'release_signing',
      profileVersion: 'Ver0000001',
      createdAt: new Date('2026-11-21T10:00:00Z')
    },
    { jobId: 'job-2', source: 'search', outcome: 'already-revoked', detail: 'already revoked by sec' },
    {
      jobId: 'job-3',
      source: 'job-id',
      outcome: 'failed',
      detail: 'DescribeSigningJob: ResourceNotFoundException: <gone>'
    }
  ],
  profile: {
    target: {
      profileName: 'release_signing',
      profileVersion: 'Ver0000001',
      effectiveTime: new Date('2026-11-20T08:30:00Z')
    },
    outcome: 'revoked'
  }
}

/** The step summary file after writeRevokeSummary, starting from `before`. */
const written = (record: RevokeRecord, before = ''): Promise<string> =>
  writtenSummary(() => writeRevokeSummary(record), before)

describe('the incident record in the job summary', () => {
  let html: string
  beforeAll(async () => {
    html = await written(RECORD)
  })

  it('records the reason, who ran it and when, escaping what came from inputs', () => {
    expect(html).toContain('<h2>Signature revocation</h2>')
    expect(html).toContain('Reason: CI runner &lt;compromised&gt; &amp; key rotated')
    expect(html).toContain('Run by: <code>octo-sec</code>')
    expect(html).toContain('Started at: <code>2026-11-23T12:00:00.000Z</code>')
    expect(html).toContain(
      '<a href="https://github.com/acme/firmware/actions/runs/1001">acme/firmware run</a>'
    )
    expect(html).not.toContain('<compromised>')
  })

  it('has one row per target with its result and why', () => {
    const rows = html.match(/<tr>.*?<\/tr>/g) ?? []
    expect(rows).toHaveLength(4)
    expect(rows[1]).toBe(
      '<tr><td><code>job-1</code></td><td>job-id input</td><td>release_signing <code>Ver0000001</code></td>' +
        '<td>2026-11-21T10:00:00.000Z</td><td>✅ revoked</td><td>—</td></tr>'
    )
    expect(rows[2]).toContain('<td>time-window search</td>')
    expect(rows[2]).toContain('<td>⏭️ already revoked</td><td>already revoked by sec</td>')
    expect(rows[3]).toContain(
      '<td>❌ failed</td><td>DescribeSigningJob: ResourceNotFoundException: &lt;gone&gt;</td>'
    )
    expect(html).toContain('Result: 3 signing job(s): 1 revoked, 1 already revoked, 1 failed')
  })

  it('says what the profile revocation means', () => {
    expect(html).toContain(
      'Profile revocation: ✅ revoked profile <code>release_signing</code> version <code>Ver0000001</code> ' +
        'effective <code>2026-11-20T08:30:00.000Z</code>. Signatures made with profile release_signing version ' +
        'Ver0000001 after 2026-11-20T08:30:00.000Z are no longer trusted'
    )
  })

  it('titles a dry run and shows the planned rows and profile', async () => {
    const dry = await written({
      ...RECORD,
      dryRun: true,
      jobs: [{ jobId: 'job-1', source: 'job-id', outcome: 'planned' }],
      profile: { ...RECORD.profile!, outcome: 'planned' },
      search: {
        profileName: 'release_signing',
        signedBefore: new Date('2026-11-23T00:00:00Z'),
        pages: 2,
        listed: 30,
        matched: 1
      }
    })
    expect(dry).toContain('<h2>Signature revocation: dry run, nothing revoked</h2>')
    expect(dry).toContain('<td>📝 planned (dry run)</td>')
    expect(dry).toContain('Profile revocation: 📝 planned (dry run) profile')
    expect(dry).toContain('Once run, signatures made with profile')
    expect(dry).toContain(
      'Time-window search: jobs of profile release_signing created in [the beginning, 2026-11-23T00:00:00.000Z): ' +
        '1 job(s) found among 30 listed in 2 page(s)'
    )
  })

  it('says when a revoked version was revoked again to move its start earlier', async () => {
    const again = await written({
      ...RECORD,
      profile: {
        ...RECORD.profile!,
        detail:
          'already revoked effective from 2026-11-21T00:00:00.000Z; revoking again moves the start earlier'
      }
    })
    expect(again).toContain(
      'effective <code>2026-11-20T08:30:00.000Z</code> (already revoked effective from 2026-11-21T00:00:00.000Z; ' +
        'revoking again moves the start earlier). Signatures made with profile'
    )
  })

  it('has no table when there is no job, only the profile', async () => {
    const html = await written({ ...RECORD, jobs: [] })
    expect(html).not.toContain('<table>')
    expect(html).toContain('Result: 0 signing job(s)')
  })
})

describe('summary helpers', () => {
  it('counts outcomes in a fixed order', () => {
    expect(countLine([])).toBe('0 signing job(s)')
    expect(countLine(RECORD.jobs.slice().reverse())).toBe(
      '3 signing job(s): 1 revoked, 1 already revoked, 1 failed'
    )
  })
})

describe('writeRevokeSummary', () => {
  it('appends the record to the step summary file, after what earlier steps wrote', async () => {
    const alone = await written(RECORD)
    expect(await written(RECORD, '# earlier step\n')).toBe(`# earlier step\n${alone}`)
  })
})
