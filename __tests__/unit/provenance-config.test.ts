import { RevokeConfig } from '../../src/config'
import { configFor, inputErrorOf } from '../support/config'

const NOW = new Date('2026-11-23T12:00:00Z')
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'

function revoke(inputs: Record<string, string>): RevokeConfig {
  return configFor('revoke', { reason: 'commit built on a compromised runner', ...inputs }, {}, NOW)
}

describe('revoke config: provenance filters', () => {
  it('reads commit, run-id and repository with the records location, defaulting the prefix', () => {
    const config = revoke({
      'profile-name': 'release_signing',
      commit: SHA.toUpperCase().slice(0, 9),
      'run-id': '1234567890',
      repository: 'acme/firmware',
      'records-bucket': 'artifacts'
    })
    expect(config.provenance).toEqual({
      profileName: 'release_signing',
      profileVersion: undefined,
      filters: { repository: 'acme/firmware', commit: SHA.slice(0, 9), runId: '1234567890' },
      recordsBucket: 'artifacts',
      recordsPrefix: 'signed/provenance/'
    })
    expect(config.jobSearch).toBeUndefined()
    expect(config.profileRevocation).toBeUndefined()
  })

  it('keeps the window as the search the records narrow, and profile-version as a narrowing too', () => {
    const config = revoke({
      'profile-name': 'release_signing',
      'profile-version': 'Ver0000001',
      'run-id': '42',
      'records-bucket': 'artifacts',
      'records-prefix': 'release/signed/provenance/',
      'signed-after': '2026-11-20T00:00:00Z'
    })
    expect(config.provenance).toMatchObject({
      profileVersion: 'Ver0000001',
      filters: { runId: '42' },
      recordsPrefix: 'release/signed/provenance/'
    })
    expect(config.jobSearch?.signedAfter).toEqual(new Date('2026-11-20T00:00:00Z'))
    // profile-version with filters narrows: the version itself is not revoked.
    expect(config.profileRevocation).toBeUndefined()
  })

  it.each([
    [{ commit: SHA, 'records-bucket': 'artifacts' }, 'profile-name', 'is required with commit'],
    [{ 'profile-name': 'release_signing', commit: 'abc123' }, 'commit', 'at least 7 hex digits'],
    [{ 'profile-name': 'release_signing', commit: 'zzzzzzzz' }, 'commit', "got 'zzzzzzzz'"],
    [{ 'profile-name': 'release_signing', commit: 'a'.repeat(41) }, 'commit', 'at least 7 hex'],
    [{ 'profile-name': 'release_signing', 'run-id': '12a' }, 'run-id', 'digits'],
    [{ 'profile-name': 'release_signing', repository: 'acme' }, 'repository', 'owner/name'],
    [
      { 'profile-name': 'release_signing', repository: 'acme/firmware' },
      'records-bucket',
      'is required with repository'
    ],
    [
      { 'profile-name': 'release_signing', 'run-id': '1', 'records-bucket': 'Bad_Bucket' },
      'records-bucket',
      'S3 bucket name'
    ],
    [
      { 'profile-name': 'release_signing', 'run-id': '1', 'records-bucket': 'b-1', 'records-prefix': '/x/' },
      'records-prefix',
      "must not start with '/'"
    ],
    [
      {
        'profile-name': 'release_signing',
        'run-id': '1',
        'records-bucket': 'b-1',
        'records-prefix': 'signed/provenance'
      },
      'records-prefix',
      "must end with '/'"
    ]
  ])('rejects %j naming %s', (inputs, input, message) => {
    const error = inputErrorOf(() => revoke(inputs))
    expect(error.input).toBe(input)
    expect(error.message).toContain(message)
  })
})

describe('revoke config: approved-job-ids', () => {
  const base = { 'job-id': 'job-a' }

  it('reads the JSON array planned-job-ids prints', () => {
    expect(revoke({ ...base, 'approved-job-ids': '["job-a","job-b"]' }).approvedJobIds).toEqual([
      'job-a',
      'job-b'
    ])
  })

  it('reads a list separated by commas or newlines, and an empty JSON array', () => {
    expect(revoke({ ...base, 'approved-job-ids': 'job-a,\njob-b\n' }).approvedJobIds).toEqual([
      'job-a',
      'job-b'
    ])
    expect(revoke({ ...base, 'approved-job-ids': '[]' }).approvedJobIds).toEqual([])
  })

  it('is undefined when not given: no approval check', () => {
    expect(revoke(base).approvedJobIds).toBeUndefined()
  })

  it.each([
    ['["job-a"', 'not a JSON array'],
    ['[1, 2]', 'JSON array of job id strings'],
    ['job a', "'job a' is not a signing job id"]
  ])('rejects %s', (value, message) => {
    const error = inputErrorOf(() => revoke({ ...base, 'approved-job-ids': value }))
    expect(error.input).toBe('approved-job-ids')
    expect(error.message).toContain(message)
  })
})

describe('revoke config: require-approval', () => {
  const base = { 'job-id': 'job-a' }

  it("refuses an empty approved-job-ids (a renamed step's output reads '') instead of revoking ungated", () => {
    const error = inputErrorOf(() => revoke({ ...base, 'require-approval': 'true', 'approved-job-ids': '' }))
    expect(error.input).toBe('approved-job-ids')
    expect(error.message).toMatch(/is empty, and require-approval is true/)
  })

  it("accepts '[]' (approve revoking no job), a list, and a dry run without approval", () => {
    expect(revoke({ ...base, 'require-approval': 'true', 'approved-job-ids': '[]' })).toMatchObject({
      approvedJobIds: [],
      requireApproval: true
    })
    expect(
      revoke({ ...base, 'require-approval': 'true', 'approved-job-ids': 'job-a' }).approvedJobIds
    ).toEqual(['job-a'])
    expect(revoke({ ...base, 'require-approval': 'true', 'dry-run': 'true' }).approvedJobIds).toBeUndefined()
  })

  it('defaults to false: without it an empty approved-job-ids means no approval check, as before', () => {
    expect(revoke(base)).toMatchObject({ requireApproval: false, approvedJobIds: undefined })
  })

  it('is read strictly', () => {
    expect(inputErrorOf(() => revoke({ ...base, 'require-approval': 'yes' })).input).toBe('require-approval')
  })
})
