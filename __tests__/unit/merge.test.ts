import { combineShards, canonical } from '../../src/merge/combine'
import { releaseFiles } from '../../src/merge/files'
import { Shard, parseShard, safeName } from '../../src/merge/shard'
import { JobProvenance } from '../../src/provenance/types'

const job = (jobId: string, artifactPaths: string[], extra: Partial<JobProvenance> = {}): JobProvenance => ({
  repository: 'acme/app',
  commit: 'a'.repeat(40),
  artifactPaths,
  sha256: '1'.repeat(64),
  signedSha256: '2'.repeat(64),
  jobId,
  jobOwner: '123456789012',
  status: 'Succeeded',
  jobCreatedAt: '2026-12-01T10:00:00.000Z',
  profileName: 'release',
  profileOwner: null,
  profileVersion: 'abcdefghij',
  profileVersionArn: null,
  platformId: 'AWSLambda-SHA384-ECDSA',
  signatureExpiresAt: null,
  source: { bucket: 'b', key: `unsigned/${jobId}`, versionId: 'v1' },
  signed: { bucket: 'b', key: `signed/${jobId}.zip` },
  ...extra
})

const shard = (file: string, jobs: JobProvenance[], commit = 'a'.repeat(40)): Shard => ({
  file,
  repository: 'acme/app',
  commit,
  jobs
})

describe('combineShards', () => {
  it('lists every job once, sorted by id, as one sign run would', () => {
    const merged = combineShards([
      shard('s2', [job('job-c', ['c.zip'])]),
      shard('s1', [job('job-a', ['a.zip'])])
    ])
    expect(merged.jobs.map(j => j.jobId)).toEqual(['job-a', 'job-c'])
    expect(merged).toMatchObject({ repository: 'acme/app', commit: 'a'.repeat(40) })
  })

  it('joins the paths of a job two shards share, and takes a signed hash only one shard has', () => {
    const merged = combineShards([
      shard('s1', [job('job-a', ['x/app.zip'], { signedSha256: null })]),
      shard('s2', [job('job-a', ['a/app.zip'])])
    ])
    expect(merged.jobs).toEqual([job('job-a', ['a/app.zip', 'x/app.zip'])])
  })

  it('refuses shards that disagree about a job, naming it and the fields', () => {
    expect(() =>
      combineShards([
        shard('s1', [job('job-a', ['a.zip'])]),
        shard('s2', [job('job-a', ['a.zip'], { status: 'InProgress', profileVersion: 'zzzzzzzzzz' })])
      ])
    ).toThrow('job job-a differs between s1 and s2 (status, profileVersion): the shards disagree about it')
    expect(() =>
      combineShards([
        shard('s1', [job('job-a', ['a.zip'])]),
        shard('s2', [job('job-a', ['a.zip'], { signedSha256: '3'.repeat(64) })])
      ])
    ).toThrow('job job-a differs between s1 and s2 (signedSha256)')
  })

  it('refuses one artifact signed by two jobs, and shards of another commit', () => {
    expect(() =>
      combineShards([shard('s1', [job('job-a', ['a.zip'])]), shard('s2', [job('job-b', ['a.zip'])])])
    ).toThrow('a.zip was signed by job job-a in one shard and job job-b in another')
    expect(() =>
      combineShards([
        shard('s1', [job('job-a', ['a.zip'])]),
        shard('s2', [job('job-b', ['b.zip'])], 'b'.repeat(40))
      ])
    ).toThrow('shards of one release share a repository and a commit')
    expect(() => combineShards([])).toThrow('no shard manifest')
  })
})

describe('parseShard', () => {
  const text = (value: unknown) => JSON.stringify(value)
  const good = {
    schemaVersion: 1,
    repository: 'acme/app',
    commit: 'a'.repeat(40),
    jobs: [job('job-a', ['a.zip'])]
  }

  it('reads a manifest a sign run wrote', () => {
    expect(parseShard('m.json', text(good)).jobs).toEqual(good.jobs)
  })

  it.each([
    ['not JSON', '{', 'not JSON'],
    ['another schema', text({ ...good, schemaVersion: 2 }), 'schemaVersion is 2'],
    [
      'a path out of output-dir',
      text({ ...good, jobs: [job('job-a', ['../x.zip'])] }),
      'jobs[0].artifactPaths'
    ],
    [
      'a name with a newline',
      text({ ...good, jobs: [job('job-a', ['a\n::warning::x.zip'])] }),
      'artifactPaths'
    ],
    [
      'a repository that is not owner/name',
      text({ ...good, repository: 'acme/app\n::warning::x' }),
      'repository'
    ],
    ['a commit that is not a SHA', text({ ...good, commit: 'main' }), 'commit is not a commit SHA'],
    ['a job id with a slash', text({ ...good, jobs: [job('a/b', ['a.zip'])] }), 'jobs[0].jobId'],
    [
      'a forged signed hash',
      text({ ...good, jobs: [job('a', ['a.zip'], { signedSha256: 'x' })] }),
      'signedSha256'
    ]
  ])('refuses %s, naming the file', (_name, body, why) => {
    expect(() => parseShard('shards/m.json', body)).toThrow(
      `shards/m.json is not a manifest.json of this action`
    )
    expect(() => parseShard('shards/m.json', body)).toThrow(why)
  })
})

describe('safeName', () => {
  it.each([
    ['dist/app.zip', true],
    ['s3://bucket/key/app.zip', true],
    ['/etc/passwd', false],
    ['C:/Windows/x', false],
    ['a\\b.zip', false],
    ['a//b', false],
    ['a/../b', false],
    ['', false]
  ])('%s → %s', (name, safe) => {
    expect(safeName(name)).toBe(safe)
  })
})

describe('releaseFiles', () => {
  it('names each downloaded file as output-dir holds it, and skips jobs no shard downloaded', () => {
    expect(
      releaseFiles([
        job('job-b', ['s3://b/builds/fw.bin']),
        job('job-a', ['z/app.zip', 'a/app.zip']),
        job('job-c', ['c.zip'], { signedSha256: null })
      ])
    ).toEqual([
      { name: 'a/app.zip', signedSha256: '2'.repeat(64) },
      { name: 'fw.bin', signedSha256: '2'.repeat(64) },
      { name: 'z/app.zip', signedSha256: '2'.repeat(64) }
    ])
  })
})

describe('canonical', () => {
  it('is the same for the same content in another key order', () => {
    expect(canonical({ b: 1, a: [{ d: 2, c: null }] })).toBe(canonical({ a: [{ c: null, d: 2 }], b: 1 }))
    expect(canonical({ a: 1 })).not.toBe(canonical({ a: '1' }))
  })
})
