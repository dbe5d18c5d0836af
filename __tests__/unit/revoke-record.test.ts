import * as fs from 'node:fs'
import * as path from 'node:path'
import { RevokeConfig } from '../../src/config'
import { incidentRecord, recordFilePath, writeIncidentRecord } from '../../src/report/revoke-record'
import { makeWorkspace } from '../../scripts/run-action'
import { RevokeRecord } from '../../src/revoke/types'

const PROFILE = {
  profileName: 'release_signing',
  profileVersion: 'Ver0000001',
  effectiveTime: new Date('2026-11-20T08:00:00Z')
}

const CONFIG: RevokeConfig = {
  mode: 'revoke',
  showSummary: true,
  reason: 'INC-4800',
  jobIds: ['job-a'],
  profileRevocation: PROFILE,
  jobSearch: { profileName: 'release_signing', signedAfter: new Date('2026-11-20T00:00:00Z') },
  provenance: {
    profileName: 'release_signing',
    filters: { commit: 'abcdef1' },
    recordsBucket: 'artifacts',
    recordsPrefix: 'signed/provenance/'
  },
  approvedJobIds: ['job-a', 'job-b'],
  requireApproval: true,
  dryRun: false
}

const RECORD: RevokeRecord = {
  reason: 'INC-4800',
  dryRun: false,
  actor: 'octo-sec',
  startedAt: '2026-11-23T12:00:00Z',
  repository: 'acme/security',
  runUrl: 'https://github.com/acme/security/actions/runs/9',
  jobs: [
    { jobId: 'job-a', source: 'job-id', outcome: 'revoked', createdAt: new Date('2026-11-21T10:00:00Z') },
    { jobId: 'job-b', source: 'provenance', outcome: 'failed', detail: 'RevokeSignature: AccessDenied' }
  ],
  profile: {
    target: PROFILE,
    outcome: 'revoked'
  },
  provenance: {
    filters: { commit: 'abcdef1' },
    location: 's3://artifacts/signed/provenance/by-commit/abcdef1',
    pages: 1,
    records: 1,
    matched: 1,
    excluded: [],
    unresolved: ['job-c'],
    contradicted: [{ jobId: 'job-d', against: 'AWS Signer', fields: ['source key'] }],
    signedNothing: [],
    unreadable: []
  }
}

describe('incident record file', () => {
  it('holds the reason, actor, time, inputs, profile revocation and every job result', () => {
    const file = incidentRecord(RECORD, CONFIG)
    expect(JSON.parse(JSON.stringify(file))).toEqual({
      schemaVersion: 1,
      reason: 'INC-4800',
      dryRun: false,
      actor: 'octo-sec',
      startedAt: '2026-11-23T12:00:00Z',
      repository: 'acme/security',
      runUrl: 'https://github.com/acme/security/actions/runs/9',
      inputs: {
        jobIds: ['job-a'],
        jobOwner: null,
        profileRevocation: {
          profileName: 'release_signing',
          profileVersion: 'Ver0000001',
          effectiveTime: '2026-11-20T08:00:00.000Z'
        },
        window: {
          profileName: 'release_signing',
          profileVersion: null,
          signedAfter: '2026-11-20T00:00:00.000Z',
          signedBefore: null
        },
        provenance: CONFIG.provenance,
        approvedJobIds: ['job-a', 'job-b'],
        requireApproval: true,
        dryRun: false
      },
      profile: {
        profileName: 'release_signing',
        profileVersion: 'Ver0000001',
        effectiveTime: '2026-11-20T08:00:00.000Z',
        outcome: 'revoked',
        detail: null
      },
      search: null,
      provenance: RECORD.provenance,
      jobs: [
        {
          jobId: 'job-a',
          source: 'job-id',
          outcome: 'revoked',
          profileName: null,
          profileVersion: null,
          createdAt: '2026-11-21T10:00:00.000Z',
          detail: null
        },
        {
          jobId: 'job-b',
          source: 'provenance',
          outcome: 'failed',
          profileName: null,
          profileVersion: null,
          createdAt: null,
          detail: 'RevokeSignature: AccessDenied'
        }
      ]
    })
  })

  it('goes to RUNNER_TEMP, one name per run attempt, and another for a dry run', () => {
    const env = { RUNNER_TEMP: '/runner/_temp' }
    expect(recordFilePath({ runId: '9', runAttempt: '2' }, false, env)).toBe(
      '/runner/_temp/signer-revocation-9-2.json'
    )
    expect(recordFilePath({ runId: '9', runAttempt: '' }, true, env)).toBe(
      '/runner/_temp/signer-revocation-9-1-dry-run.json'
    )
    expect(recordFilePath({ runId: '', runAttempt: '' }, false, env)).toBe(
      '/runner/_temp/signer-revocation-local.json'
    )
  })
})

describe('writeIncidentRecord', () => {
  it('creates the file exclusively: a planted symbolic link is not followed, the next name is taken', async () => {
    const dir = makeWorkspace()
    const elsewhere = makeWorkspace()
    const target = path.join(elsewhere, 'victim.txt')
    fs.writeFileSync(target, 'untouched')
    const file = path.join(dir, 'signer-revocation-1-1.json')
    fs.symlinkSync(target, file)
    const written = await writeIncidentRecord(file, { reason: 'INC-1' })
    expect(written).toBe(path.join(dir, 'signer-revocation-1-1-2.json'))
    expect(JSON.parse(fs.readFileSync(written, 'utf8'))).toEqual({ reason: 'INC-1' })
    expect(fs.readFileSync(target, 'utf8')).toBe('untouched')
    // A second step of the same job keeps the first one's record.
    expect(await writeIncidentRecord(file, { reason: 'INC-2' })).toBe(
      path.join(dir, 'signer-revocation-1-1-3.json')
    )
    expect(JSON.parse(fs.readFileSync(written, 'utf8'))).toEqual({ reason: 'INC-1' })
    fs.rmSync(dir, { recursive: true, force: true })
    fs.rmSync(elsewhere, { recursive: true, force: true })
  })
})
