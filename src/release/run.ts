import * as fs from 'node:fs/promises'
import * as core from '@actions/core'
import { RunContext } from '../context'
import { ArtifactResult } from '../sign/types'
import { deleteAsset, findRelease, listAssets, releasesClient, uploadAsset } from './github'
import { releaseAssets } from './plan'

/**
 * release-upload: the signed files (and the manifest, when the run wrote one) become assets of the
 * GitHub release of the run's tag. An asset of the same name is deleted, then uploaded again: a re-run
 * replaces what an earlier run attached. One file at a time: a release holds a handful of assets.
 */
export async function uploadToRelease(
  results: ReadonlyArray<Pick<ArtifactResult, 'signedPath'>>,
  options: { tag: string; token: string; manifest?: string },
  context: Pick<RunContext, 'repository'>
): Promise<void> {
  const [owner, repo] = context.repository.split('/')
  if (!owner || !repo) {
    throw new Error(`release-upload: GITHUB_REPOSITORY is '${context.repository}', not owner/repo`)
  }
  const assets = releaseAssets(results, options.manifest)
  const octokit = releasesClient(options.token)
  const release = await findRelease(octokit, { owner, repo }, options.tag)
  const current = await listAssets(octokit, { owner, repo }, release.id)
  core.startGroup(`Release ${options.tag}: ${assets.length} asset${assets.length === 1 ? '' : 's'}`)
  try {
    for (const asset of assets) {
      const replaced = current.get(asset.name)
      if (replaced !== undefined) await deleteAsset(octokit, { owner, repo }, replaced)
      const { size } = await fs.stat(asset.file)
      const url = await uploadAsset(octokit, { owner, repo }, release, asset, size)
      core.info(`${replaced !== undefined ? 'Replaced' : 'Added'} ${asset.name} (${size} bytes): ${url}`)
    }
  } finally {
    core.endGroup()
  }
  core.info(`Release ${options.tag}: ${release.htmlUrl}`)
}
