import { TokenInput, clientRequestToken } from '../../src/sign/token'
import { sourceKey } from '../../src/sign/source'

const BASE: TokenInput = {
  repository: 'acme/firmware',
  commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  profileName: 'release_signing',
  profileOwner: undefined,
  sourceBucket: 'artifacts',
  sourceKey: 'unsigned/0f343b0931126a20f133d67c2b018a3b/app.zip',
  sha256: '0f343b0931126a20f133d67c2b018a3b5f0e6f3a9d2b3c4d5e6f708192a3b4c5',
  destinationBucket: 'artifacts',
  destinationPrefix: 'signed/'
}

describe('clientRequestToken', () => {
  it('is UUID-shaped (RFC 9562 version 8, variant 10)', () => {
    expect(clientRequestToken(BASE)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    )
  })

  it('is a pure function of its input: same request, same token, across calls', () => {
    expect(clientRequestToken({ ...BASE })).toBe(clientRequestToken(BASE))
    // Pinned: a change to the derivation would give every re-run after an upgrade a duplicate job.
    expect(clientRequestToken(BASE)).toBe(PINNED)
  })

  it.each(Object.keys(BASE) as (keyof TokenInput)[])('changes when %s changes', field => {
    const changed = { ...BASE, [field]: `${BASE[field] ?? ''}x` }
    expect(clientRequestToken(changed)).not.toBe(clientRequestToken(BASE))
  })

  it('treats an absent profile owner as the empty owner, and a set one as different', () => {
    expect(clientRequestToken({ ...BASE, profileOwner: '' })).toBe(clientRequestToken(BASE))
    expect(clientRequestToken({ ...BASE, profileOwner: '111122223333' })).not.toBe(clientRequestToken(BASE))
  })

  it('cannot be fooled by moving characters between adjacent fields', () => {
    const a = clientRequestToken({ ...BASE, repository: 'acme/fw', commit: 'abc' })
    const b = clientRequestToken({ ...BASE, repository: 'acme/fwa', commit: 'bc' })
    expect(a).not.toBe(b)
  })

  it("keeps the first request's token, and gives each retry of a failed request its own", () => {
    const tokens = [0, 1, 2, 3].map(retry => clientRequestToken(BASE, retry))
    expect(tokens[0]).toBe(clientRequestToken(BASE))
    expect(new Set(tokens).size).toBe(4)
    expect(clientRequestToken(BASE, 2)).toBe(tokens[2])
  })

  it('adds the version for source-object, so each pinned version is its own request', () => {
    const object = { ...BASE, sha256: '', sourceVersionId: 'v1' }
    expect(clientRequestToken(object)).not.toBe(clientRequestToken({ ...BASE, sha256: '' }))
    expect(clientRequestToken({ ...object, sourceVersionId: 'v2' })).not.toBe(clientRequestToken(object))
    expect(clientRequestToken({ ...object })).toBe(clientRequestToken(object))
    // Absent for an uploaded file: its token is the pinned one above, unchanged.
    expect(clientRequestToken({ ...BASE, sourceVersionId: undefined })).toBe(PINNED)
  })

  it('has no place for a run id or attempt', () => {
    const withRun = { ...BASE, runId: '1001', runAttempt: '2' } as TokenInput
    expect(clientRequestToken(withRun)).toBe(clientRequestToken(BASE))
  })
})

/** Computed independently (Python: hashlib.sha256 over the same JSON array, version and variant bits set). */
const PINNED = '5d53bbeb-bd3b-86cd-99a0-3c24ba652b12'

describe('sourceKey', () => {
  const artifact = { sha256: BASE.sha256, path: '/work/ws/dist/lambda/app.zip' }

  it('is the prefix, the content hash and the file name', () => {
    expect(sourceKey('unsigned/', artifact)).toBe(`unsigned/${BASE.sha256}/app.zip`)
  })

  it('keeps an empty prefix at the bucket root and does not add a slash', () => {
    expect(sourceKey('', artifact)).toBe(`${BASE.sha256}/app.zip`)
    expect(sourceKey('builds-', artifact)).toBe(`builds-${BASE.sha256}/app.zip`)
  })

  it('is the same for the same bytes and name in another directory', () => {
    expect(sourceKey('u/', { ...artifact, path: '/other/app.zip' })).toBe(sourceKey('u/', artifact))
    expect(sourceKey('u/', { ...artifact, sha256: 'f'.repeat(64) })).not.toBe(sourceKey('u/', artifact))
  })
})
