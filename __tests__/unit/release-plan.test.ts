import { releaseAssets, releaseTag } from '../../src/release/plan'
import { ArtifactResult } from '../../src/sign/types'

const signed = (signedPath?: string): ArtifactResult => ({
  artifact: { path: '/ws/x', relativePath: 'x', size: 1, sha256: 'a' },
  signedPath
})

describe('releaseTag', () => {
  it.each([
    ['refs/tags/v1.2.3', 'v1.2.3'],
    ['refs/tags/firmware/2.0', 'firmware/2.0'],
    ['refs/heads/main', undefined],
    ['refs/pull/7/merge', undefined],
    ['refs/tags/', undefined],
    ['', undefined]
  ])('%s → %s', (ref, tag) => {
    expect(releaseTag(ref)).toBe(tag)
  })
})

describe('releaseAssets', () => {
  it('names each signed file by its file name, then the manifest', () => {
    expect(
      releaseAssets(
        [signed('/ws/signed/dist/a.zip'), signed(), signed('/ws/signed/fw/b.bin')],
        '/ws/signed/manifest.json'
      )
    ).toEqual([
      { name: 'a.zip', file: '/ws/signed/dist/a.zip', contentType: 'application/octet-stream' },
      { name: 'b.bin', file: '/ws/signed/fw/b.bin', contentType: 'application/octet-stream' },
      { name: 'manifest.json', file: '/ws/signed/manifest.json', contentType: 'application/json' }
    ])
    expect(releaseAssets([signed('/ws/signed/a.zip')])).toHaveLength(1)
  })

  it('refuses two files that would be one asset, naming them', () => {
    expect(() =>
      releaseAssets([
        signed('/ws/signed/eu/app.zip'),
        signed('/ws/signed/us/app.zip'),
        signed('/ws/signed/c.bin')
      ])
    ).toThrow(
      'release-upload: release assets have one name per file, and these files share one: ' +
        'app.zip (/ws/signed/eu/app.zip, /ws/signed/us/app.zip)'
    )
    expect(() => releaseAssets([signed('/ws/signed/manifest.json')], '/ws/signed/x/manifest.json')).toThrow(
      'manifest.json'
    )
  })
})
