import { GetSigningProfileCommand, PutSigningProfileCommand } from '@aws-sdk/client-signer'
import { LocalStack, startStack } from '../../scripts/stack'
import { runAction } from '../../scripts/run-action'

const REASON = 'INC-4712: signing pipeline suspected'
let stack: LocalStack

beforeAll(async () => {
  stack = await startStack({ jobDurationMs: 20 })
})

afterAll(async () => {
  await stack?.stop()
})

/** A fresh Active profile for each test, so that revoking one leaves the others alone. */
async function newProfile(profileName: string): Promise<string> {
  const put = await stack.signer.send(
    new PutSigningProfileCommand({ profileName, platformId: 'AWSLambda-SHA384-ECDSA' })
  )
  if (!put.profileVersion) throw new Error('PutSigningProfile returned no version')
  return put.profileVersion
}

function revoke(inputs: Record<string, string>) {
  return runAction({ inputs: { mode: 'revoke', reason: REASON, ...inputs }, env: stack.env })
}

describe('revoke mode: a profile version', () => {
  it('revokes the version with the explicit effective time reaching the API as that instant', async () => {
    const version = await newProfile('incident_profile')
    await stack.emulator.admin.clearCalls()
    // A zone other than UTC, and milliseconds: the instant is 2026-06-01T10:34:56.789Z.
    const run = await revoke({
      'profile-name': 'incident_profile',
      'profile-version': version,
      'effective-time': '2026-06-01T12:34:56.789+02:00'
    })

    expect(run.exitCode).toBe(0)
    expect(run.outputs['revoked-profile-version']).toBe(version)
    const calls = await stack.emulator.admin.calls('RevokeSigningProfile')
    expect(calls).toHaveLength(1)
    expect(calls[0].status).toBe(200)
    expect(calls[0].input).toEqual({
      profileName: 'incident_profile',
      profileVersion: version,
      reason: REASON,
      // restJson1 body timestamps are epoch seconds.
      effectiveTime: Date.parse('2026-06-01T10:34:56.789Z') / 1000
    })
    const profile = await stack.signer.send(new GetSigningProfileCommand({ profileName: 'incident_profile' }))
    expect(profile.status).toBe('Revoked')
    expect(profile.revocationRecord?.revocationEffectiveFrom).toEqual(new Date('2026-06-01T10:34:56.789Z'))
    expect(run.stdout).toContain(
      `Revoked profile incident_profile version ${version} effective 2026-06-01T10:34:56.789Z: signatures made ` +
        `with profile incident_profile version ${version} after 2026-06-01T10:34:56.789Z are no longer trusted`
    )
    expect(run.summary).toContain('Profile revocation: ✅ revoked profile <code>incident_profile</code>')
    expect(run.summary).toContain('effective <code>2026-06-01T10:34:56.789Z</code>')
  })

  it('does not revoke the version again on a second run', async () => {
    const version = await newProfile('twice_revoked')
    const inputs = {
      'profile-name': 'twice_revoked',
      'profile-version': version,
      'effective-time': '2026-06-01'
    }
    expect((await revoke(inputs)).exitCode).toBe(0)
    await stack.emulator.admin.clearCalls()

    const again = await revoke(inputs)
    expect(again.exitCode).toBe(0)
    expect(await stack.emulator.admin.calls('RevokeSigningProfile')).toEqual([])
    expect(again.outputs['revoked-profile-version']).toBe('')
    expect(again.stdout).toContain(
      `::notice::Profile twice_revoked version ${version} skipped: already revoked effective from 2026-06-01T00:00:00.000Z`
    )
  })

  it('revokes a revoked version again from an earlier effective time, and skips a later one', async () => {
    const version = await newProfile('moved_earlier')
    const inputs = { 'profile-name': 'moved_earlier', 'profile-version': version }
    expect((await revoke({ ...inputs, 'effective-time': '2026-06-01T00:00:00Z' })).exitCode).toBe(0)

    // Later than recorded: AWS would refuse it; the action skips it, saying from when it is revoked.
    await stack.emulator.admin.clearCalls()
    const later = await revoke({ ...inputs, 'effective-time': '2026-07-01T00:00:00Z' })
    expect(later.exitCode).toBe(0)
    expect(await stack.emulator.admin.calls('RevokeSigningProfile')).toEqual([])
    expect(later.outputs['revoked-profile-version']).toBe('')
    expect(later.stdout).toContain(
      `::notice::Profile moved_earlier version ${version} skipped: already revoked effective from ` +
        '2026-06-01T00:00:00.000Z, earlier than effective-time 2026-07-01T00:00:00.000Z (a revocation can be ' +
        'moved earlier, never later)'
    )

    // Earlier: the investigation found the compromise began sooner. A dry run plans it, the run does it.
    const earlier = { ...inputs, 'effective-time': '2026-05-15T00:00:00Z' }
    const dry = await revoke({ ...earlier, 'dry-run': 'true' })
    expect(dry.exitCode).toBe(0)
    expect(dry.stdout).toContain(
      `would revoke profile moved_earlier version ${version} effective 2026-05-15T00:00:00.000Z (already ` +
        'revoked effective from 2026-06-01T00:00:00.000Z; revoking again moves the start earlier)'
    )
    await stack.emulator.admin.clearCalls()
    const run = await revoke(earlier)
    expect(run.exitCode).toBe(0)
    expect(run.outputs['revoked-profile-version']).toBe(version)
    const calls = await stack.emulator.admin.calls('RevokeSigningProfile')
    expect(calls.map(call => [call.status, call.input.effectiveTime])).toEqual([
      [200, Date.parse('2026-05-15T00:00:00Z') / 1000]
    ])
    const profile = await stack.signer.send(new GetSigningProfileCommand({ profileName: 'moved_earlier' }))
    expect(profile.revocationRecord?.revocationEffectiveFrom).toEqual(new Date('2026-05-15T00:00:00Z'))
    expect(run.summary).toContain(
      'effective <code>2026-05-15T00:00:00.000Z</code> (already revoked effective from 2026-06-01T00:00:00.000Z; ' +
        'revoking again moves the start earlier)'
    )
  })

  it('fails in the dry run, as in the real run, on a profile whose platform does not support revocation', async () => {
    const put = await stack.signer.send(
      new PutSigningProfileCommand({
        profileName: 'iot_profile',
        platformId: 'AWSIoTDeviceManagement-SHA256-ECDSA',
        signingMaterial: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' }
      })
    )
    const inputs = { 'profile-name': 'iot_profile', 'profile-version': put.profileVersion ?? '' }
    for (const dryRun of ['true', 'false']) {
      await stack.emulator.admin.clearCalls()
      const run = await revoke({ ...inputs, 'dry-run': dryRun })
      expect(run.exitCode).toBe(1)
      expect(run.stdout).toContain(
        `::error::Profile iot_profile version ${put.profileVersion}: signing platform AWS IoT Device ` +
          'Management SHA256-ECDSA (AWSIoTDeviceManagement-SHA256-ECDSA) does not support revocation'
      )
      expect((await stack.emulator.admin.calls()).map(call => call.operation)).toEqual([
        'GetSigningProfile',
        'GetSigningPlatform'
      ])
    }
  })

  it('defaults the effective time to when the run started', async () => {
    const version = await newProfile('revoked_now')
    const before = Date.now()
    const run = await revoke({ 'profile-name': 'revoked_now', 'profile-version': version })
    expect(run.exitCode).toBe(0)
    const profile = await stack.signer.send(new GetSigningProfileCommand({ profileName: 'revoked_now' }))
    const effective = profile.revocationRecord?.revocationEffectiveFrom?.getTime() ?? 0
    expect(effective).toBeGreaterThanOrEqual(before)
    expect(effective).toBeLessThanOrEqual(Date.now())
  })

  it('plans the profile revocation in a dry run without revoking it', async () => {
    const version = await newProfile('dry_profile')
    await stack.emulator.admin.clearCalls()
    const run = await revoke({
      'profile-name': 'dry_profile',
      'profile-version': version,
      'effective-time': '2026-06-01T00:00:00Z',
      'dry-run': 'true'
    })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['revoked-profile-version']).toBe('')
    expect((await stack.emulator.admin.calls()).map(call => call.operation)).toEqual([
      'GetSigningProfile',
      'GetSigningPlatform'
    ])
    const profile = await stack.signer.send(new GetSigningProfileCommand({ profileName: 'dry_profile' }))
    expect(profile.status).toBe('Active')
    expect(run.stdout).toContain(
      `would revoke profile dry_profile version ${version} effective 2026-06-01T00:00:00.000Z`
    )
    expect(run.summary).toContain('Profile revocation: 📝 planned (dry run)')
  })

  it('fails naming a version the profile does not have', async () => {
    await newProfile('other_version')
    const run = await revoke({ 'profile-name': 'other_version', 'profile-version': 'ZZZZZZZZZZ' })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(
      /::error::Profile other_version version ZZZZZZZZZZ: RevokeSigningProfile: ResourceNotFoundException/
    )
    expect(run.outputs['revoked-profile-version']).toBe('')
  })
})
