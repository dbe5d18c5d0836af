import { canIndex, jobIdOfKey, listingPrefix, recordKeys, recordsPrefix } from '../../src/provenance/layout'

const SHA = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678'
const P = recordsPrefix('signed/')

describe('provenance layout', () => {
  it('puts the records under the destination prefix', () => {
    expect(P).toBe('signed/provenance/')
  })

  it('writes one key per incident question, lowercasing repository and commit', () => {
    expect(
      recordKeys(P, {
        repository: 'Acme/Firmware',
        commit: SHA,
        runId: '77',
        runAttempt: '2',
        jobId: 'job-1'
      })
    ).toEqual([
      'signed/provenance/jobs/job-1.json',
      `signed/provenance/by-repository/acme/firmware/commit/${SHA.toLowerCase()}/job-1.json`,
      `signed/provenance/by-commit/${SHA.toLowerCase()}/acme/firmware/job-1.json`,
      'signed/provenance/by-run/77/acme/firmware/attempt/2/job-1.json'
    ])
  })

  it('has no run key without a run id, and no key at all without a repository or commit', () => {
    const keys = recordKeys(P, { repository: 'acme/fw', commit: SHA, runId: '', runAttempt: '', jobId: 'j' })
    expect(keys).toHaveLength(3)
    expect(keys.some(key => key.includes('by-run'))).toBe(false)
    expect(recordKeys(P, { repository: '', commit: SHA, runId: '1', runAttempt: '1', jobId: 'j' })).toEqual(
      []
    )
    expect(
      recordKeys(P, { repository: 'acme/fw', commit: '', runId: '1', runAttempt: '1', jobId: 'j' })
    ).toEqual([])
    expect(canIndex('acme/fw', 'not-a-sha')).toBe(false)
  })

  it('lists the narrowest index the filters allow; a commit prefix is a key prefix', () => {
    expect(listingPrefix(P, { runId: '77' })).toBe('signed/provenance/by-run/77/')
    expect(listingPrefix(P, { runId: '77', repository: 'Acme/FW', commit: 'abcdef1' })).toBe(
      'signed/provenance/by-run/77/acme/fw/'
    )
    expect(listingPrefix(P, { repository: 'acme/fw' })).toBe('signed/provenance/by-repository/acme/fw/')
    expect(listingPrefix(P, { repository: 'acme/fw', commit: 'abcdef1' })).toBe(
      'signed/provenance/by-repository/acme/fw/commit/abcdef1'
    )
    expect(listingPrefix(P, { commit: 'abcdef1' })).toBe('signed/provenance/by-commit/abcdef1')
    expect(() => listingPrefix(P, {})).toThrow('at least one filter')
  })

  it('reads the job id back from any key of the layout', () => {
    for (const key of recordKeys(P, {
      repository: 'a/b',
      commit: SHA,
      runId: '1',
      runAttempt: '1',
      jobId: 'f00-ba4'
    })) {
      expect(jobIdOfKey(key)).toBe('f00-ba4')
    }
    expect(jobIdOfKey('signed/provenance/jobs/')).toBeUndefined()
  })
})
