import * as path from 'node:path'
import { ArtifactResult } from '../sign/types'

/** The tag a run is on (refs/tags/v1.2.3 → v1.2.3); undefined for a branch, a pull request or no ref. */
export function releaseTag(ref: string): string | undefined {
  const tag = ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : ''
  return tag === '' ? undefined : tag
}

/** One file to attach to the release, under the asset name it gets. */
export interface ReleaseAsset {
  name: string
  file: string
  contentType: string
}

/**
 * The assets: every downloaded signed file under its file name (a release has no folders), then the
 * manifest when there is one. Two files with the same name would replace each other's asset: refused,
 * naming them, before anything is uploaded.
 */
export function releaseAssets(
  results: ReadonlyArray<Pick<ArtifactResult, 'signedPath'>>,
  manifest?: string
): ReleaseAsset[] {
  const assets: ReleaseAsset[] = results.flatMap(result =>
    result.signedPath
      ? [
          {
            name: path.basename(result.signedPath),
            file: result.signedPath,
            contentType: 'application/octet-stream'
          }
        ]
      : []
  )
  if (manifest)
    assets.push({ name: path.basename(manifest), file: manifest, contentType: 'application/json' })
  const byName = new Map<string, string[]>()
  for (const asset of assets) byName.set(asset.name, [...(byName.get(asset.name) ?? []), asset.file])
  const clashes = [...byName].filter(([, files]) => files.length > 1)
  if (clashes.length > 0) {
    throw new Error(
      'release-upload: release assets have one name per file, and these files share one: ' +
        clashes.map(([name, files]) => `${name} (${files.join(', ')})`).join('; ') +
        '; rename them, or upload them another way'
    )
  }
  return assets
}
