import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { mockClient } from 'aws-sdk-client-mock'
import { SignConfig } from '../../src/config'
import { RunContext } from '../../src/context'
import { StartRecorder, sharedPaths } from '../../src/sign/start-record'
import { Artifact, ArtifactResult } from '../../src/sign/types'
import { configFor } from '../support/config'

const s3Mock = mockClient(S3Client)
const s3 = new S3Client({ region: 'us-east-1' })
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
const CONTEXT: RunContext = {
  repository: 'acme/firmware',
  commit: SHA,
  ref: 'refs/heads/main',
  workflow: 'release',
  runId: '42',
  runAttempt: '1',
  actor: 'bot',
  serverUrl: 'https://github.com'
}
const CONFIG: SignConfig = configFor('sign', {
  path: '*.zip',
  'profile-name': 'release_signing',
  'source-bucket': 'artifacts',
  'aws-region': 'us-east-1'
})

function artifact(relativePath: string, sha256 = 'ab'.repeat(32)): Artifact {
  return { path: `/ws/${relativePath}`, relativePath, size: 3, sha256 }
}

function started(a: Artifact, jobId: string): ArtifactResult {
  return {
    artifact: a,
    source: { bucket: 'artifacts', key: `unsigned/${a.sha256}/app.zip`, versionId: 'v1', reused: false },
    job: { jobId, jobOwner: '123456789012', status: 'InProgress' }
  }
}

beforeEach(() => s3Mock.reset())

describe('StartRecorder', () => {
  it('writes the job record first, then each index, once however many artifacts share the job', async () => {
    s3Mock.on(PutObjectCommand).resolves({})
    const a = artifact('dist/app.zip')
    const b = artifact('copy/app.zip')
    const recorder = new StartRecorder(s3, CONFIG, CONTEXT, 'us-east-1', new Date(), [a, b])
    await Promise.all([recorder.record(started(a, 'job-1')), recorder.record(started(b, 'job-1'))])
    const puts = s3Mock.commandCalls(PutObjectCommand).map(call => call.args[0].input)
    expect(puts.map(put => put.Key)).toEqual([
      'signed/provenance/jobs/job-1.json',
      `signed/provenance/by-repository/acme/firmware/commit/${SHA}/job-1.json`,
      `signed/provenance/by-commit/${SHA}/acme/firmware/job-1.json`,
      'signed/provenance/by-run/42/acme/firmware/attempt/1/job-1.json'
    ])
    expect(puts.every(put => put.IfNoneMatch === '*')).toBe(true)
    expect(JSON.parse(String(puts[0].Body)).run.artifactPaths).toEqual(['copy/app.zip', 'dist/app.zip'])
  })

  it('settles a cancelled run: waits for the records in flight, and names the jobs still unrecorded', async () => {
    const never = new Promise<never>(() => undefined)
    s3Mock.on(PutObjectCommand).callsFake(input => (String(input.Key).includes('job-slow') ? never : {}))
    const fast = artifact('fast.zip', 'cd'.repeat(32))
    const slow = artifact('slow.zip', 'ef'.repeat(32))
    const recorder = new StartRecorder(s3, CONFIG, CONTEXT, 'us-east-1', new Date(), [fast, slow])
    const results = [started(fast, 'job-fast'), started(slow, 'job-slow'), { artifact: artifact('none.zip') }]
    // Neither record was asked for before the signal: settle writes both, within its budget.
    const before = Date.now()
    expect(await recorder.settle(results, 100)).toEqual(['job-slow'])
    expect(Date.now() - before).toBeLessThan(1000)
    expect(s3Mock.commandCalls(PutObjectCommand).map(call => call.args[0].input.Key)).toContain(
      'signed/provenance/by-run/42/acme/firmware/attempt/1/job-fast.json'
    )
  })

  it('groups artifacts by the source object they will share', () => {
    const paths = sharedPaths(
      [artifact('a/app.zip'), artifact('b/app.zip'), artifact('c/other.zip')],
      'unsigned/'
    )
    expect([...paths.values()]).toEqual([['a/app.zip', 'b/app.zip'], ['c/other.zip']])
  })
})
