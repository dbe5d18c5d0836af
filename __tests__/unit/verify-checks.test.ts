import { parseTrustedProfile } from '../../src/config/verify'
import { TrustedProfile } from '../../src/config'
import { trustedBy, jobIdOfArn } from '../../src/verify/arns'
import {
  checkExpiry,
  checkJobRevocation,
  checkManifest,
  checkProfileRevocation,
  checkSignedFiles,
  checkStatus,
  checkTrustedProfile
} from '../../src/verify/checks'
import { needsRevocationStatus } from '../../src/verify/evidence'
import { buildTargets } from '../../src/verify/targets'
import { JobEvidence, JobRead, ManifestJob } from '../../src/verify/types'
import { judgeFunction, judgeJob } from '../../src/verify/verdict'

const PROFILE = 'arn:aws:signer:us-east-1:123456789012:/signing-profiles/release_signing'
const VERSION_ARN = `${PROFILE}/AbCdE12345`
const JOB_ARN = 'arn:aws:signer:us-east-1:123456789012:/signing-jobs/job-1'
const SIGNED_AT = new Date('2026-11-01T10:00:00Z')
const NOW = new Date('2026-12-01T00:00:00Z')

const trusted = (...arns: string[]): TrustedProfile[] =>
  arns.map(arn => parseTrustedProfile(arn) as TrustedProfile)

function foundJob(overrides: Partial<Extract<JobRead, { kind: 'found' }>> = {}): JobRead {
  return {
    kind: 'found',
    jobOwner: '123456789012',
    status: 'Succeeded',
    profileName: 'release_signing',
    profileVersion: 'AbCdE12345',
    platformId: 'AWSLambda-SHA384-ECDSA',
    createdAt: new Date(SIGNED_AT.getTime() - 2000),
    completedAt: SIGNED_AT,
    signatureExpiresAt: new Date('2036-01-01T00:00:00Z'),
    signedObject: { bucket: 'artifacts', key: 'signed/job-1.zip' },
    ...overrides
  }
}

function evidence(overrides: Partial<JobEvidence> = {}): JobEvidence {
  return {
    target: { jobId: 'job-1', sources: ['job-id'] },
    job: foundJob(),
    profileVersionArn: VERSION_ARN,
    jobArn: JOB_ARN,
    signedAt: SIGNED_AT,
    profile: { kind: 'found', profileVersion: 'AbCdE12345', status: 'Active' },
    files: [],
    ...overrides
  }
}

describe('trusted identities, as AWS verifier matches them', () => {
  it('a profile ARN trusts any of its versions, a version ARN only itself, case-insensitively', () => {
    expect(trustedBy(trusted(PROFILE), VERSION_ARN)?.arn).toBe(PROFILE)
    expect(trustedBy(trusted(VERSION_ARN), VERSION_ARN.replace('AbCdE12345', 'ABCDE12345'))).toBeDefined()
    expect(trustedBy(trusted(`${PROFILE}/ZZZZZZZZZZ`), VERSION_ARN)).toBeUndefined()
    expect(trustedBy(trusted(`${PROFILE}_other`), VERSION_ARN)).toBeUndefined()
  })

  it('reads a job id from a signing job ARN, nothing from another ARN', () => {
    expect(jobIdOfArn(JOB_ARN)).toBe('job-1')
    expect(jobIdOfArn(VERSION_ARN)).toBeUndefined()
  })
})

describe('the checks', () => {
  it('trusted-profile: passes without a list (and says so), fails a profile outside it', () => {
    expect(checkTrustedProfile(evidence(), undefined)).toMatchObject({
      ok: true,
      reason: expect.stringMatching(/^no trusted-profile given/)
    })
    expect(checkTrustedProfile(evidence(), trusted(`${PROFILE}_other`))).toEqual({
      check: 'trusted-profile',
      ok: false,
      reason: `signed by ${VERSION_ARN}, which trusted-profile does not name`
    })
  })

  it('status: only Succeeded passes; the status reason is quoted', () => {
    expect(checkStatus(evidence()).ok).toBe(true)
    const failed = checkStatus(
      evidence({ job: foundJob({ status: 'Failed', statusReason: 'bad\n::error::x' }) })
    )
    expect(failed).toMatchObject({
      ok: false,
      reason: 'the job is Failed: "bad\\n::error::x"; only a Succeeded job has a signature'
    })
    expect(checkStatus(evidence({ job: { kind: 'error', error: 'AccessDeniedException: no' } })).reason).toBe(
      'DescribeSigningJob failed: AccessDeniedException: no'
    )
  })

  it("job-revocation: Signer's record (reason, when, who), or GetRevocationStatus listing the job", () => {
    const revoked = foundJob({
      revocation: {
        reason: 'INC-1',
        revokedAt: new Date('2026-11-20T00:00:00Z'),
        revokedBy: 'arn:aws:iam::1:user/sec'
      }
    })
    expect(checkJobRevocation(evidence({ job: revoked })).reason).toBe(
      'the signature was revoked at 2026-11-20T00:00:00.000Z by "arn:aws:iam::1:user/sec": "INC-1"'
    )
    const listed = evidence({ revocationStatus: { kind: 'found', revokedEntities: [JOB_ARN] } })
    expect(checkJobRevocation(listed)).toMatchObject({
      ok: false,
      reason: 'GetRevocationStatus lists the signing job as revoked'
    })
    expect(checkJobRevocation(evidence()).ok).toBe(true)
  })

  it('profile-revocation: effective at or before the signing fails, after it passes', () => {
    const revokedFrom = (time: Date): JobEvidence =>
      evidence({
        profile: {
          kind: 'found',
          profileVersion: 'AbCdE12345',
          status: 'Revoked',
          revocation: { effectiveFrom: time }
        }
      })
    expect(checkProfileRevocation(revokedFrom(new Date(SIGNED_AT.getTime() - 1))).ok).toBe(false)
    expect(checkProfileRevocation(revokedFrom(SIGNED_AT)).ok).toBe(false)
    const after = checkProfileRevocation(revokedFrom(new Date(SIGNED_AT.getTime() + 1)))
    expect(after.ok).toBe(true)
    expect(after.reason).toMatch(/after the signing at 2026-11-01T10:00:00.000Z, so the signature stands$/)
  })

  it('profile-revocation: for another version, or a profile it cannot read, GetRevocationStatus answers', () => {
    const older = { kind: 'found' as const, profileVersion: 'NeWeR12345', status: 'Active' }
    const listed = evidence({
      profile: older,
      revocationStatus: { kind: 'found', revokedEntities: [VERSION_ARN] }
    })
    expect(checkProfileRevocation(listed)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(
        /^GetRevocationStatus: profile release_signing version AbCdE12345 is revoked/
      )
    })
    const clear = evidence({ profile: older, revocationStatus: { kind: 'found', revokedEntities: [] } })
    expect(checkProfileRevocation(clear).ok).toBe(true)
    const unknown = evidence({
      profile: { kind: 'error', error: 'AccessDeniedException: no' },
      revocationStatus: { kind: 'error', error: 'TooManyRequestsException: slow down' }
    })
    expect(checkProfileRevocation(unknown)).toEqual({
      check: 'profile-revocation',
      ok: false,
      reason:
        'GetSigningProfile failed (AccessDeniedException: no); GetRevocationStatus failed: TooManyRequestsException: slow down'
    })
  })

  it('expiry: fails at or after signatureExpiresAt, and without one', () => {
    expect(checkExpiry(evidence({ job: foundJob({ signatureExpiresAt: NOW }) }), NOW).reason).toBe(
      'the signature expired at 2026-12-01T00:00:00.000Z'
    )
    expect(checkExpiry(evidence({ job: foundJob({ signatureExpiresAt: undefined }) }), NOW).ok).toBe(false)
    expect(checkExpiry(evidence(), NOW).ok).toBe(true)
  })

  const manifest: ManifestJob = {
    jobId: 'job-1',
    jobOwner: '123456789012',
    profileName: 'release_signing',
    profileVersion: 'AbCdE12345',
    signedSha256: 'a'.repeat(64),
    signed: { bucket: 'artifacts', key: 'signed/job-1.zip' },
    signedFiles: [{ relativePath: 'signed/app.zip', absolutePath: '/w/signed/app.zip' }]
  }
  const withManifest = (overrides: Partial<ManifestJob>, files: JobEvidence['files'] = []): JobEvidence =>
    evidence({
      target: { jobId: 'job-1', sources: ['manifest'], manifest: { ...manifest, ...overrides } },
      files
    })

  it("manifest: its record of the job must be Signer's", () => {
    expect(checkManifest(evidence())).toBeUndefined()
    expect(checkManifest(withManifest({}))?.ok).toBe(true)
    expect(
      checkManifest(withManifest({ signed: { bucket: 'artifacts', key: 'signed/other.zip' } }))?.reason
    ).toBe('the manifest says signed.key "signed/other.zip" where Signer says "signed/job-1.zip"')
  })

  it('signed-file: byte-identical passes, a difference fails naming the file, a missing file is not checked', () => {
    const path = 'signed/app.zip'
    expect(
      checkSignedFiles(withManifest({}, [{ relativePath: path, kind: 'hashed', sha256: 'a'.repeat(64) }]))[0]
        .ok
    ).toBe(true)
    const [changed] = checkSignedFiles(
      withManifest({}, [{ relativePath: path, kind: 'hashed', sha256: 'b'.repeat(64) }])
    )
    expect(changed).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^"signed\/app.zip" differs from the signed file Signer produced/)
    })
    expect(checkSignedFiles(withManifest({}, [{ relativePath: path, kind: 'missing' }]))[0]).toMatchObject({
      ok: true,
      reason: '"signed/app.zip": not checked, not in the workspace'
    })
    expect(checkSignedFiles(withManifest({ signedSha256: null }))[0].reason).toMatch(/did not download/)
  })
})

describe('verdicts', () => {
  it('a job is valid only when every check passes', () => {
    expect(judgeJob(evidence(), trusted(PROFILE), NOW).verdict).toBe('valid')
    expect(judgeJob(evidence(), trusted(`${PROFILE}_other`), NOW).verdict).toBe('invalid')
  })

  it("a function takes its job's verdict; an unsigned one is invalid only when named; Lambda and Signer must agree", () => {
    const job = judgeJob(evidence(), undefined, NOW)
    const jobs = new Map([[job.jobId, job]])
    const signed = {
      name: 'api',
      kind: 'found' as const,
      signingJobArn: JOB_ARN,
      signingProfileVersionArn: VERSION_ARN
    }
    expect(judgeFunction(signed, jobs, false)).toEqual({
      name: 'api',
      jobId: 'job-1',
      profileVersionArn: VERSION_ARN,
      verdict: 'valid',
      reasons: []
    })
    const unsigned = { name: 'legacy', kind: 'found' as const }
    expect(judgeFunction(unsigned, jobs, false).verdict).toBe('unsigned')
    expect(judgeFunction(unsigned, jobs, true).verdict).toBe('invalid')
    const disagree = judgeFunction(
      { ...signed, signingProfileVersionArn: `${PROFILE}/ZZZZZZZZZZ` },
      jobs,
      false
    )
    expect(disagree.verdict).toBe('invalid')
    expect(disagree.reasons[0]).toMatch(
      /^Lambda reports profile version .*ZZZZZZZZZZ", Signer says job job-1 was signed by/
    )
  })

  it('reads each job once, however many sources name it', () => {
    const fn = (name: string) => ({ name, kind: 'found' as const, signingJobArn: JOB_ARN })
    const targets = buildTargets([], ['job-1', 'job-2'], [fn('a'), fn('b')])
    expect(targets).toEqual([
      { jobId: 'job-1', sources: ['job-id', 'lambda'] },
      { jobId: 'job-2', sources: ['job-id'] }
    ])
  })

  it('asks GetRevocationStatus only for a Succeeded job whose profile version GetSigningProfile does not describe', () => {
    const job = foundJob() as Extract<JobRead, { kind: 'found' }>
    expect(needsRevocationStatus(job, { kind: 'found', profileVersion: 'AbCdE12345' })).toBe(false)
    expect(needsRevocationStatus(job, { kind: 'found', profileVersion: 'NeWeR12345' })).toBe(true)
    expect(needsRevocationStatus(job, { kind: 'error', error: 'denied' })).toBe(true)
    expect(needsRevocationStatus({ ...job, status: 'Failed' }, { kind: 'error', error: 'denied' })).toBe(
      false
    )
  })
})
