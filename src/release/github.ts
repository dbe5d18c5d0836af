import { createReadStream } from 'node:fs'
import * as github from '@actions/github'
import { ReleaseAsset } from './plan'

type Octokit = ReturnType<typeof github.getOctokit>

export interface Release {
  id: number
  uploadUrl: string
  htmlUrl: string
}

export interface Repo {
  owner: string
  repo: string
}

/** getOctokit's base URL is GITHUB_API_URL when set (GitHub Enterprise Server, or a local fake in tests). */
export function releasesClient(token: string): Octokit {
  return github.getOctokit(token)
}

function status(error: unknown): number | undefined {
  return (error as { status?: number }).status
}

export async function findRelease(octokit: Octokit, repo: Repo, tag: string): Promise<Release> {
  try {
    const { data } = await octokit.rest.repos.getReleaseByTag({ ...repo, tag })
    return { id: data.id, uploadUrl: data.upload_url, htmlUrl: data.html_url }
  } catch (error) {
    if (status(error) === 404) {
      throw new Error(
        `release-upload: ${repo.owner}/${repo.repo} has no release for tag ${tag} (or the token cannot see it): ` +
          `create it before this step (gh release create ${tag}), or run on: release: types: [published]`,
        { cause: error }
      )
    }
    throw error
  }
}

/** Every asset of the release by name, all pages. */
export async function listAssets(
  octokit: Octokit,
  repo: Repo,
  releaseId: number
): Promise<Map<string, number>> {
  const assets = await octokit.paginate(octokit.rest.repos.listReleaseAssets, {
    ...repo,
    release_id: releaseId,
    per_page: 100
  })
  return new Map(assets.map(asset => [asset.name, asset.id]))
}

export async function deleteAsset(octokit: Octokit, repo: Repo, assetId: number): Promise<void> {
  await octokit.rest.repos.deleteReleaseAsset({ ...repo, asset_id: assetId })
}

/**
 * Streams the file to the release's upload_url (uploads.github.com, or what the API named), with its
 * length: the upload API wants Content-Length, and the file is never read whole.
 */
export async function uploadAsset(
  octokit: Octokit,
  repo: Repo,
  release: Release,
  asset: ReleaseAsset,
  size: number
): Promise<string> {
  const { data } = await octokit.rest.repos.uploadReleaseAsset({
    ...repo,
    url: release.uploadUrl,
    release_id: release.id,
    name: asset.name,
    // The typings say string; @octokit/request hands any body to fetch, which streams a Readable.
    data: createReadStream(asset.file) as unknown as string,
    headers: { 'content-type': asset.contentType, 'content-length': size }
  })
  return data.browser_download_url
}
