import * as fs from 'node:fs'
import * as path from 'node:path'
import { CreateBucketCommand, PutBucketVersioningCommand } from '@aws-sdk/client-s3'
import {
  CancelSigningProfileCommand,
  PutSigningProfileCommand,
  RevokeSigningProfileCommand
} from '@aws-sdk/client-signer'
import { LocalStack, startStack } from '../../scripts/stack'
import { ActionRun, errorLines, makeWorkspace } from '../../scripts/run-action'
import { operations, sign, versionsUnder } from './sign-support'
import { lambdaZip } from '../../emulator/testing'

let stack: LocalStack
beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 100 })
  await stack.s3.send(new CreateBucketCommand({ Bucket: 'never-versioned' }))
  await stack.s3.send(new CreateBucketCommand({ Bucket: 'suspended' }))
  await stack.s3.send(
    new PutBucketVersioningCommand({ Bucket: 'suspended', VersioningConfiguration: { Status: 'Enabled' } })
  )
  await stack.s3.send(
    new PutBucketVersioningCommand({ Bucket: 'suspended', VersioningConfiguration: { Status: 'Suspended' } })
  )
  // Profiles the action must refuse (set up here so that each test's call log holds the action's calls only).
  await stack.signer.send(
    new PutSigningProfileCommand({ profileName: 'canceled_profile', platformId: 'AWSLambda-SHA384-ECDSA' })
  )
  await stack.signer.send(new CancelSigningProfileCommand({ profileName: 'canceled_profile' }))
  const revoked = await stack.signer.send(
    new PutSigningProfileCommand({ profileName: 'revoked_profile', platformId: 'AWSLambda-SHA384-ECDSA' })
  )
  await stack.signer.send(
    new RevokeSigningProfileCommand({
      profileName: 'revoked_profile',
      profileVersion: revoked.profileVersion,
      reason: 'key leaked in INC-42',
      effectiveTime: new Date(Date.now() - 60_000)
    })
  )
  await stack.signer.send(
    new PutSigningProfileCommand({
      profileName: 'freertos_profile',
      platformId: 'AmazonFreeRTOS-Default',
      signingMaterial: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/demo' }
    })
  )
})
afterAll(async () => {
  await stack?.stop()
})
beforeEach(async () => {
  await stack.emulator.admin.clearCalls()
})

/** A preflight failure: exit 1, no object uploaded anywhere, no job started, only read calls made. */
async function expectNothingDone(run: ActionRun, buckets = [stack.bucket]): Promise<void> {
  expect(run.exitCode).toBe(1)
  for (const bucket of buckets) expect(await versionsUnder(stack, '', bucket)).toEqual([])
  const calls = await operations(stack)
  expect(calls).not.toContain('StartSigningJob')
  expect(calls.filter(op => op !== 'GetSigningProfile' && op !== 'GetSigningPlatform')).toEqual([])
  expect(run.outputs).toEqual({})
}

const artifact = (): string => makeWorkspace({ 'dist/app.zip': lambdaZip('preflight bytes') })

describe('sign mode preflight: nothing is uploaded and no job starts when the account is not ready', () => {
  it('a Canceled profile', async () => {
    const run = await sign(
      stack,
      { path: 'dist/app.zip', 'profile-name': 'canceled_profile' },
      { workspace: artifact() }
    )
    await expectNothingDone(run)
    expect(errorLines(run)).toEqual([
      "::error::Signing profile 'canceled_profile' is Canceled, not Active: it can no longer start signing jobs; use an Active profile"
    ])
  })

  it('a Revoked profile, with the revocation reason', async () => {
    const run = await sign(
      stack,
      { path: 'dist/app.zip', 'profile-name': 'revoked_profile' },
      { workspace: artifact() }
    )
    await expectNothingDone(run)
    expect(errorLines(run).join('\n')).toContain(
      "Signing profile 'revoked_profile' is Revoked (key leaked in INC-42)"
    )
  })

  it('a profile that does not exist', async () => {
    const run = await sign(
      stack,
      { path: 'dist/app.zip', 'profile-name': 'no_such_profile' },
      { workspace: artifact() }
    )
    await expectNothingDone(run)
    expect(errorLines(run).join('\n')).toContain(
      "Signing profile 'no_such_profile' was not found in us-east-1"
    )
  })

  it.each([
    ['never-versioned', 'has never had versioning enabled'],
    ['suspended', 'has versioning Suspended']
  ])('a source bucket whose versioning is not Enabled (%s)', async (bucket, state) => {
    const run = await sign(
      stack,
      { path: 'dist/app.zip', 'source-bucket': bucket },
      { workspace: artifact() }
    )
    await expectNothingDone(run, [bucket, stack.bucket])
    expect(errorLines(run)).toEqual([
      `::error::source-bucket '${bucket}' ${state}: Signer signs an exact object version, so ` +
        'versioning must be Enabled. Enable it with `aws s3api put-bucket-versioning --bucket ' +
        `${bucket} --versioning-configuration Status=Enabled --region us-east-1\``
    ])
  })

  it('an artifact bigger than the platform allows (FreeRTOS: 16 MB)', async () => {
    const workspace = makeWorkspace({ 'small.bin': lambdaZip('fits') })
    // Sparse: 16 MiB + 1 byte without writing them.
    fs.closeSync(fs.openSync(path.join(workspace, 'big.bin'), 'w'))
    fs.truncateSync(path.join(workspace, 'big.bin'), 16 * 1024 * 1024 + 1)
    const run = await sign(stack, { path: '*.bin', 'profile-name': 'freertos_profile' }, { workspace })
    await expectNothingDone(run)
    expect(errorLines(run)).toEqual([
      '::error::Platform AmazonFreeRTOS-Default signs files of at most 16 MB (16777216 bytes); too big: ' +
        'big.bin (16.0 MiB, 16777217 bytes)'
    ])
  })

  it('reports a bad profile and an unversioned bucket together', async () => {
    const run = await sign(
      stack,
      { path: 'dist/app.zip', 'profile-name': 'canceled_profile', 'source-bucket': 'suspended' },
      { workspace: artifact() }
    )
    await expectNothingDone(run, ['suspended'])
    const message = errorLines(run).join('\n')
    expect(message).toContain('is Canceled')
    expect(message).toContain('put-bucket-versioning --bucket suspended')
  })
})
