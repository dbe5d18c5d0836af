/**
 * What each signing platform accepts, through the bundled action: the Lambda platform signs zip files only
 * (refused in preflight before any upload), the container platform is not for StartSigningJob, and the IoT
 * platforms sign without an expiry, which every output reports as such.
 */
import * as fs from 'node:fs'
import { PutSigningProfileCommand } from '@aws-sdk/client-signer'
import { parseIotSignedObject, verifyIotSignedObject } from '../../emulator/crypto/iot-signed-object'
import { lambdaZip, zipArchive } from '../../emulator/testing'
import { LocalStack, startStack } from '../../scripts/stack'
import { ActionRun, errorLines, makeWorkspace } from '../../scripts/run-action'
import { jobsOutput, operations, sign, versionsUnder } from './sign-support'

let stack: LocalStack
beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 100 })
  await stack.signer.send(
    new PutSigningProfileCommand({ profileName: 'containers', platformId: 'Notation-OCI-SHA384-ECDSA' })
  )
  await stack.signer.send(
    new PutSigningProfileCommand({
      profileName: 'firmware',
      platformId: 'AWSIoTDeviceManagement-SHA256-ECDSA',
      signingMaterial: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/fw' }
    })
  )
}, 60000)
afterAll(async () => {
  await stack?.stop()
})
beforeEach(async () => {
  await stack.emulator.admin.clearCalls()
})

async function expectNothingDone(run: ActionRun, versionsBefore: number): Promise<void> {
  expect(run.exitCode).toBe(1)
  expect(await versionsUnder(stack, '')).toHaveLength(versionsBefore)
  expect(await operations(stack)).not.toContain('StartSigningJob')
  expect(run.outputs).toEqual({})
}

describe('the Lambda platform signs zip files only', () => {
  it('refuses a text file, an empty zip and a truncated zip in preflight, naming each and the platform', async () => {
    const before = (await versionsUnder(stack, '')).length
    const workspace = makeWorkspace({
      'dist/function.zip': lambdaZip('exports.handler = async () => 1'),
      'dist/notes.txt': 'release notes',
      'dist/empty.zip': zipArchive({}),
      'dist/cut.zip': lambdaZip('cut short').subarray(0, 40)
    })
    const run = await sign(stack, { path: 'dist/*' }, { workspace })
    await expectNothingDone(run, before)
    expect(errorLines(run)).toEqual([
      '::error::Platform AWSLambda-SHA384-ECDSA signs zip files only, and fails a zip that is empty or malformed: ' +
        '"dist/cut.zip" is a malformed zip file (no end-of-central-directory record: truncated?); ' +
        '"dist/empty.zip" is an empty zip file (no entries); ' +
        '"dist/notes.txt" is not a zip file (it does not start with PK\\x03\\x04). Sign Lambda deployment ' +
        'packages (zip) with this profile, and other files with a profile on another platform'
    ])
  })

  it('signs a zip with entries, whatever its name', async () => {
    const run = await sign(
      stack,
      { path: 'bundle.pkg' },
      { workspace: makeWorkspace({ 'bundle.pkg': lambdaZip('ok') }) }
    )
    expect(errorLines(run)).toEqual([])
    expect(run.stdout).toContain('zip files with entries')
    expect(run.outputs.status).toBe('Succeeded')
  })
})

it('refuses a container (Notation) profile before any upload: StartSigningJob does not sign with it', async () => {
  const before = (await versionsUnder(stack, '')).length
  const run = await sign(
    stack,
    { path: 'app.zip', 'profile-name': 'containers' },
    { workspace: makeWorkspace({ 'app.zip': lambdaZip('app') }) }
  )
  await expectNothingDone(run, before)
  expect(errorLines(run)).toEqual([
    "::error::Signing profile 'containers' is on platform Notation-OCI-SHA384-ECDSA, which signs container images " +
      'with Notation (SignPayload): StartSigningJob does not sign files with it. Use a profile on ' +
      'AWSLambda-SHA384-ECDSA or an IoT platform, and sign images with notation and the AWS Signer plugin'
  ])
})

it('signs on an IoT platform: no expiry in any output, and the signed object is the JSON AWS IoT reads', async () => {
  const firmware = Buffer.from('firmware image v2, not a zip')
  const run = await sign(
    stack,
    { path: 'fw.bin', 'profile-name': 'firmware' },
    { workspace: makeWorkspace({ 'fw.bin': firmware }) }
  )
  expect(errorLines(run)).toEqual([])
  expect(run.outputs.status).toBe('Succeeded')
  // An unset output reads as '' in a workflow; jobs and the manifest say null.
  expect(run.outputs['signature-expires-at']).toBeUndefined()
  expect(jobsOutput(run)[0]).toMatchObject({ status: 'Succeeded', signatureExpiresAt: null })
  const manifest = JSON.parse(fs.readFileSync(run.outputs['manifest-path'], 'utf8'))
  expect(JSON.stringify(manifest)).toContain('"signatureExpiresAt":null')
  expect(run.stdout).toContain('the signature has no expiry (its platform sets none)')
  expect(run.summary).toMatch(/<td>✅ Succeeded<\/td><td>none<\/td>/)

  const signed = parseIotSignedObject(fs.readFileSync(run.outputs['signed-path']))
  expect(Buffer.from(signed.payload, 'base64').equals(firmware)).toBe(true)
  const { certificatePem } = await stack.emulator.admin.certificate('firmware')
  expect(verifyIotSignedObject(signed, certificatePem)).toBe(true)
})
