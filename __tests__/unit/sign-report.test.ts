import * as fs from 'node:fs'
import * as path from 'node:path'
import { JobFailedError, WaitTimeoutError } from '../../src/errors'
import { OUTPUT_NAMES } from '../../src/report/outputs'
import { jobOutput, signOutputs } from '../../src/report/sign-outputs'
import {
  consoleJobUrl,
  signSummaryHeadline,
  signSummaryRows,
  writeSignSummary
} from '../../src/report/sign-summary'
import { ArtifactResult } from '../../src/sign/types'
import { makeWorkspace } from '../../scripts/run-action'

const SHA = 'ab'.repeat(32)
const EXPIRES = new Date('2038-02-23T16:00:00.000Z')

const succeeded: ArtifactResult = {
  artifact: { path: '/ws/dist/app.zip', relativePath: 'dist/app.zip', size: 10, sha256: SHA },
  source: { bucket: 'artifacts', key: `unsigned/${SHA}/app.zip`, versionId: 'v1', reused: false },
  clientRequestToken: '5d53bbeb-bd3b-86cd-99a0-3c24ba652b12',
  job: {
    jobId: 'job-1',
    jobOwner: '123456789012',
    status: 'Succeeded',
    signatureExpiresAt: EXPIRES,
    signedObject: { bucket: 'artifacts', key: 'signed/job-1.zip' }
  },
  signedVersionId: 'v-signed',
  signedPath: '/ws/signed/dist/app.zip',
  signedSha256: '01'.repeat(32)
}

const failed: ArtifactResult = {
  artifact: { path: '/ws/fw <1>.bin', relativePath: 'fw <1>.bin', size: 3, sha256: 'cd'.repeat(32) },
  source: { bucket: 'artifacts', key: 'k2', versionId: 'v2', reused: true },
  clientRequestToken: 't2',
  job: { jobId: 'job-2', jobOwner: '123456789012', status: 'Failed', statusReason: 'bad' },
  error: new JobFailedError('job-2', 'bad')
}

const notStarted: ArtifactResult = {
  artifact: { path: '/ws/c.bin', relativePath: 'c.bin', size: 1, sha256: 'ef'.repeat(32) },
  error: new Error('AccessDenied')
}

describe('jobOutput and signOutputs', () => {
  it('maps a finished artifact to every field of the jobs output', () => {
    expect(jobOutput(succeeded)).toEqual({
      path: 'dist/app.zip',
      sha256: SHA,
      sourceKey: `unsigned/${SHA}/app.zip`,
      sourceVersionId: 'v1',
      clientRequestToken: '5d53bbeb-bd3b-86cd-99a0-3c24ba652b12',
      jobId: 'job-1',
      jobOwner: '123456789012',
      status: 'Succeeded',
      signatureExpiresAt: '2038-02-23T16:00:00.000Z',
      signedBucket: 'artifacts',
      signedKey: 'signed/job-1.zip',
      signedVersionId: 'v-signed',
      signedPath: '/ws/signed/dist/app.zip',
      signedSha256: '01'.repeat(32)
    })
  })

  it('uses null for what is unknown and NotStarted when no job began', () => {
    expect(jobOutput(notStarted)).toEqual({
      path: 'c.bin',
      sha256: 'ef'.repeat(32),
      sourceKey: null,
      sourceVersionId: null,
      clientRequestToken: null,
      jobId: null,
      jobOwner: null,
      status: 'NotStarted',
      signatureExpiresAt: null,
      signedBucket: null,
      signedKey: null,
      signedVersionId: null,
      signedPath: null,
      signedSha256: null
    })
  })

  it('gives a source-object whose SHA-256 S3 does not store a null sha256, and no sha256 output', () => {
    const object: ArtifactResult = {
      ...succeeded,
      artifact: { path: 's3://b/k.zip', relativePath: 's3://b/k.zip', size: 1, sha256: '' }
    }
    expect(jobOutput(object)).toMatchObject({ path: 's3://b/k.zip', sha256: null })
    expect(signOutputs([object]).sha256).toBeUndefined()
    const summaryContext = { region: 'eu-west-1', profileName: 'release_signing', workspace: '/ws' }
    expect(signSummaryRows([object], summaryContext)[1][1]).toBe('unknown')
  })

  it('sets every single-artifact output with one artifact', () => {
    expect(signOutputs([succeeded])).toEqual({
      jobs: JSON.stringify([jobOutput(succeeded)]),
      'job-id': 'job-1',
      'job-owner': '123456789012',
      'signature-expires-at': '2038-02-23T16:00:00.000Z',
      'client-request-token': '5d53bbeb-bd3b-86cd-99a0-3c24ba652b12',
      'source-key': `unsigned/${SHA}/app.zip`,
      'source-version-id': 'v1',
      'signed-bucket': 'artifacts',
      'signed-key': 'signed/job-1.zip',
      'signed-version-id': 'v-signed',
      'signed-path': '/ws/signed/dist/app.zip',
      sha256: SHA,
      'signed-sha256': '01'.repeat(32),
      status: 'Succeeded'
    })
  })

  it('sets the outputs of a started job even when it then failed', () => {
    const timedOut: ArtifactResult = {
      ...succeeded,
      job: { jobId: 'job-3', jobOwner: '123456789012', status: 'InProgress' },
      signedPath: undefined,
      signedSha256: undefined,
      error: new WaitTimeoutError('job-3', 5)
    }
    const outputs = signOutputs([timedOut])
    expect(outputs).toMatchObject({ 'job-id': 'job-3', status: 'InProgress', 'source-version-id': 'v1' })
    expect(outputs).not.toHaveProperty('signed-path')
    expect(outputs).not.toHaveProperty('signed-sha256')
    expect(outputs).not.toHaveProperty('signature-expires-at')
  })

  it('sets only jobs with several artifacts', () => {
    const outputs = signOutputs([succeeded, failed, notStarted])
    expect(Object.keys(outputs)).toEqual(['jobs'])
    expect(JSON.parse(outputs.jobs ?? '').map((job: { status: string }) => job.status)).toEqual([
      'Succeeded',
      'Failed',
      'NotStarted'
    ])
  })

  it('sets declared outputs only', () => {
    for (const name of Object.keys(signOutputs([succeeded]))) expect(OUTPUT_NAMES).toContain(name)
  })

  it('writes times as ISO-8601 UTC', () => {
    const job = { ...succeeded.job!, signatureExpiresAt: new Date(Date.UTC(2037, 0, 2, 3, 4, 5)) }
    expect(jobOutput({ ...succeeded, job }).signatureExpiresAt).toBe('2037-01-02T03:04:05.000Z')
  })
})

describe('job summary', () => {
  const context = { region: 'eu-west-1', profileName: 'release_signing', workspace: '/ws' }

  it('links each job to the AWS console of its region', () => {
    expect(consoleJobUrl('eu-west-1', 'job-1')).toBe(
      'https://eu-west-1.console.aws.amazon.com/signer/home?region=eu-west-1#/jobs/job-1'
    )
  })

  it('has one escaped row per artifact with short hash, job link, status, expiry and signed object', () => {
    const [header, ok, bad, none] = signSummaryRows([succeeded, failed, notStarted], context)
    expect(header.map(cell => (typeof cell === 'string' ? cell : cell.data))).toEqual([
      'Artifact',
      'SHA-256',
      'Job',
      'Status',
      'Signature expires',
      'Signed object'
    ])
    expect(ok).toEqual([
      '<code>dist/app.zip</code>',
      `<code>${SHA.slice(0, 12)}</code>`,
      '<a href="https://eu-west-1.console.aws.amazon.com/signer/home?region=eu-west-1#/jobs/job-1">job-1</a>',
      '✅ Succeeded',
      '2038-02-23T16:00:00.000Z',
      '<code>s3://artifacts/signed/job-1.zip</code><br>→ <code>signed/dist/app.zip</code>'
    ])
    expect(bad[0]).toBe('<code>fw &lt;1&gt;.bin</code>')
    expect(bad[3]).toBe('❌ Failed<br>Signing job job-2 failed: bad')
    expect(bad[5]).toBe('—')
    expect(none[2]).toBe('—')
    expect(none[3]).toBe('❌ NotStarted<br>AccessDenied')
  })

  it('sums up the run in a headline', () => {
    expect(signSummaryHeadline([succeeded, failed], { ...context, profileOwner: '111122223333' })).toBe(
      'Profile <code>release_signing</code> (owner 111122223333) in eu-west-1: 1 of 2 signed, 1 failed'
    )
  })

  it('writes the table to the step summary file', async () => {
    const dir = makeWorkspace({ summary: '' })
    const file = path.join(dir, 'summary')
    const saved = process.env.GITHUB_STEP_SUMMARY
    process.env.GITHUB_STEP_SUMMARY = file
    try {
      await writeSignSummary([succeeded], context)
      const html = fs.readFileSync(file, 'utf8')
      expect(html).toContain('<h2>AWS Signer</h2>')
      expect(html).toContain('<th>Signed object</th>')
      expect(html).toContain('#/jobs/job-1">job-1</a>')
    } finally {
      if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY
      else process.env.GITHUB_STEP_SUMMARY = saved
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
