import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {
  DescribeSigningJobCommand,
  GetSigningProfileCommand,
  RevokeSignatureCommand,
  RevokeSigningProfileCommand,
  SignerClient
} from '@aws-sdk/client-signer'
import { mockClient } from 'aws-sdk-client-mock'
import { RevokeConfig } from '../../src/config'
import { PlanChangedError } from '../../src/errors'
import { runRevoke } from '../../src/revoke/run'
import { captureRun, mockedClients, runContext } from '../support/run-harness'

const CONTEXT = runContext({ repository: 'acme/security', commit: 'a1b2c3d', runId: '88' })
const signer = mockClient(SignerClient)
const clients = mockedClients()
const config = (approvedJobIds: string[]): RevokeConfig => ({
  mode: 'revoke',
  reason: 'INC-4800',
  jobIds: ['job-a', 'job-b'],
  profileRevocation: {
    profileName: 'release_signing',
    profileVersion: 'Ver0000001',
    effectiveTime: new Date('2026-11-20T08:00:00Z')
  },
  approvedJobIds,
  dryRun: false,
  showSummary: false
})

let runnerTemp: string
const captured = captureRun()
beforeEach(() => {
  signer.reset()
  signer.on(DescribeSigningJobCommand).callsFake(input => ({ jobId: input.jobId, status: 'Succeeded' }))
  signer.on(GetSigningProfileCommand).resolves({ status: 'Active', profileVersion: 'Ver0000001' })
  signer.on(RevokeSignatureCommand).resolves({})
  signer.on(RevokeSigningProfileCommand).resolves({})
  runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'approval-'))
  process.env.RUNNER_TEMP = runnerTemp
})
afterEach(() => {
  delete process.env.RUNNER_TEMP
  fs.rmSync(runnerTemp, { recursive: true, force: true })
})

describe('runRevoke with approved-job-ids', () => {
  it('refuses a changed plan before any revoke call, the profile included', async () => {
    const error = await runRevoke(config(['job-a', 'job-c']), clients, CONTEXT).catch(e => e)
    expect(error).toBeInstanceOf(PlanChangedError)
    expect(error.message).toContain(
      'added (not approved): job-b; missing (approved, no longer planned): job-c'
    )
    expect(signer).not.toHaveReceivedCommand(RevokeSignatureCommand)
    expect(signer).not.toHaveReceivedCommand(RevokeSigningProfileCommand)
    expect(captured.outputs).toEqual({})
  })

  it('runs an unchanged plan, in any order, and writes the record file', async () => {
    const record = await runRevoke(config(['job-b', 'job-a']), clients, CONTEXT)
    expect(record.jobs.map(job => job.outcome)).toEqual(['revoked', 'revoked'])
    expect(signer).toHaveReceivedCommandTimes(RevokeSignatureCommand, 2)
    expect(signer).toHaveReceivedCommandTimes(RevokeSigningProfileCommand, 1)
    expect(captured.outputs['record-path']).toBe(path.join(runnerTemp, 'signer-revocation-88-1.json'))
    const file = JSON.parse(fs.readFileSync(captured.outputs['record-path'], 'utf8'))
    expect(file).toMatchObject({
      reason: 'INC-4800',
      actor: 'octo-sec',
      dryRun: false,
      inputs: { approvedJobIds: ['job-b', 'job-a'] },
      profile: { profileVersion: 'Ver0000001', outcome: 'revoked', effectiveTime: '2026-11-20T08:00:00.000Z' }
    })
    expect(file.jobs.map((job: { jobId: string }) => job.jobId)).toEqual(['job-a', 'job-b'])
  })
})
