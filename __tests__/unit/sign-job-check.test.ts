import { JobRequestSummary, jobMismatches } from '../../src/sign/job-check'
import { pickSignedVersion } from '../../src/sign/signed-version'
import { TokenInput, clientRequestToken } from '../../src/sign/token'
import { JobState } from '../../src/sign/types'

const ASKED: JobRequestSummary = {
  source: { bucket: 'artifacts', key: 'unsigned/abc/app.zip', versionId: 'v1' },
  profileName: 'release_signing',
  destinationBucket: 'artifacts',
  destinationPrefix: 'signed/'
}
const OURS: JobState = {
  jobId: 'job-1',
  jobOwner: '123456789012',
  jobInvoker: '123456789012',
  status: 'Succeeded',
  sourceBucket: 'artifacts',
  sourceKey: 'unsigned/abc/app.zip',
  sourceVersion: 'v1',
  profileName: 'release_signing',
  signedObject: { bucket: 'artifacts', key: 'signed/job-1.zip' }
}

describe('jobMismatches', () => {
  it('finds nothing in a job that signs what was asked', () => {
    expect(jobMismatches(OURS, ASKED)).toEqual([])
  })

  it('does not count what Signer has not reported yet (no signed object while in progress)', () => {
    expect(jobMismatches({ jobId: 'job-1', status: 'InProgress' }, ASKED)).toEqual([])
  })

  it.each<[string, Partial<JobState>, RegExp]>([
    [
      'source bucket',
      { sourceBucket: 'other' },
      /^source bucket 'other' \(this run asked for 'artifacts'\)$/
    ],
    ['source key', { sourceKey: 'unsigned/evil.zip' }, /^source key 'unsigned\/evil.zip'/],
    ['source version', { sourceVersion: 'v0' }, /^source version 'v0'/],
    ['profile', { profileName: 'other_profile' }, /^profile 'other_profile'/],
    [
      'owner',
      { jobOwner: '999999999999' },
      /^profile owner '999999999999' \(this run asked for '123456789012'\)/
    ],
    ['destination bucket', { signedObject: { bucket: 'x', key: 'signed/j' } }, /^destination bucket 'x'/],
    [
      'destination prefix',
      { signedObject: { bucket: 'artifacts', key: 'elsewhere/j' } },
      /outside destination prefix 'signed\/'/
    ]
  ])('names a different %s', (_name, change, message) => {
    const [difference, ...rest] = jobMismatches({ ...OURS, ...change }, ASKED)
    expect(difference).toMatch(message)
    expect(rest).toEqual([])
  })

  it('checks the profile version when preflight read the current one', () => {
    const job = { ...OURS, profileVersion: 'OldVersion' }
    expect(jobMismatches(job, ASKED)).toEqual([])
    expect(jobMismatches(job, { ...ASKED, profileVersion: 'NewVersion' })).toEqual([
      "profile version 'OldVersion' (this run asked for 'NewVersion')"
    ])
  })

  it('checks the owner against profile-owner when one is given', () => {
    expect(jobMismatches(OURS, { ...ASKED, profileOwner: '111122223333' })).toEqual([
      "profile owner '123456789012' (this run asked for '111122223333')"
    ])
  })

  it('escapes what the job holds: a key with a newline stays on one line', () => {
    const [difference] = jobMismatches({ ...OURS, sourceKey: 'a\n::warning::x' }, ASKED)
    expect(difference).toContain("'a\\n::warning::x'")
    expect(difference).not.toContain('\n')
  })
})

describe('the fallback token', () => {
  const INPUT: TokenInput = {
    repository: 'acme/firmware',
    commit: 'a'.repeat(40),
    profileName: 'release_signing',
    sourceBucket: 'artifacts',
    sourceKey: 'unsigned/abc/app.zip',
    sha256: 'abc',
    destinationBucket: 'artifacts',
    destinationPrefix: 'signed/'
  }

  it('differs from the public token, depends on the version, and is the same on every re-run', () => {
    const first = clientRequestToken(INPUT)
    const pinned = clientRequestToken(INPUT, 0, 'v1')
    expect(pinned).not.toBe(first)
    expect(clientRequestToken(INPUT, 0, 'v2')).not.toBe(pinned)
    expect(clientRequestToken({ ...INPUT }, 0, 'v1')).toBe(pinned)
    expect(clientRequestToken(INPUT, 1, 'v1')).not.toBe(pinned)
  })
})

describe('pickSignedVersion', () => {
  const job = {
    jobId: 'job-1',
    createdAt: new Date('2026-11-23T10:00:00.500Z'),
    completedAt: new Date('2026-11-23T10:00:03.200Z')
  }
  const at = (VersionId: string, iso: string) => ({ VersionId, LastModified: new Date(iso) })

  it("takes the one version written while the job ran (S3's whole seconds included)", () => {
    expect(pickSignedVersion([at('v-signer', '2026-11-23T10:00:03.000Z')], job, 'signed/job-1.zip')).toBe(
      'v-signer'
    )
    expect(pickSignedVersion([at('v-early', '2026-11-23T10:00:00.000Z')], job, 'k')).toBe('v-early')
  })

  it('never takes a version written after the job finished', () => {
    const versions = [at('v-later', '2026-11-23T12:00:00Z'), at('v-signer', '2026-11-23T10:00:02Z')]
    expect(pickSignedVersion(versions, job, 'k')).toBe('v-signer')
    expect(() => pickSignedVersion([at('v-later', '2026-11-23T12:00:00Z')], job, 'k')).toThrow(
      /no version of the signed object k was written while job job-1 ran .*v-later at 2026-11-23T12:00:00.000Z/
    )
  })

  it('refuses to guess when two versions were written while the job ran', () => {
    const versions = [at('v-a', '2026-11-23T10:00:02Z'), at('v-b', '2026-11-23T10:00:03Z')]
    expect(() => pickSignedVersion(versions, job, 'k')).toThrow(/2 versions .* refusing to guess/)
  })

  it('needs both times of the job', () => {
    expect(() => pickSignedVersion([], { jobId: 'job-1' }, 'k')).toThrow(/no creation or completion time/)
  })
})
