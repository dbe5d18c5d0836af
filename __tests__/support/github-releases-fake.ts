import * as http from 'node:http'
import { AddressInfo } from 'node:net'

/**
 * A small fake of GitHub's releases API on 127.0.0.1, for release-upload: get a release by tag, list its
 * assets, delete one, upload one. Uploads go to the upload_url the release returns (pointing back here),
 * and, as on GitHub, an upload under a name the release already has is refused with 422.
 */
export interface FakeAsset {
  id: number
  name: string
  contentType: string
  content: Buffer
}

export interface FakeRequest {
  method: string
  path: string
  authorization?: string
  contentLength?: string
}

export interface GitHubReleasesFake {
  /** For GITHUB_API_URL. */
  url: string
  requests: FakeRequest[]
  /** Creates the release of a tag in owner/repo, with these assets already attached. */
  addRelease(repository: string, tag: string, assets?: { name: string; content: string }[]): void
  assets(repository: string, tag: string): FakeAsset[]
  stop(): Promise<void>
}

interface FakeRelease {
  id: number
  repository: string
  tag: string
  assets: FakeAsset[]
}

export async function startGitHubReleasesFake(): Promise<GitHubReleasesFake> {
  const releases: FakeRelease[] = []
  const requests: FakeRequest[] = []
  let nextId = 100
  let base = ''

  const releaseJson = (release: FakeRelease) => ({
    id: release.id,
    tag_name: release.tag,
    html_url: `https://github.example/${release.repository}/releases/tag/${release.tag}`,
    upload_url: `${base}/uploads/repos/${release.repository}/releases/${release.id}/assets{?name,label}`
  })
  const assetJson = (release: FakeRelease, asset: FakeAsset) => ({
    id: asset.id,
    name: asset.name,
    content_type: asset.contentType,
    size: asset.content.length,
    browser_download_url: `https://github.example/${release.repository}/releases/download/${release.tag}/${asset.name}`
  })

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base)
    requests.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
      contentLength: req.headers['content-length']
    })
    const send = (status: number, body?: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(body === undefined ? undefined : JSON.stringify(body))
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
      const find = (repository: string, test: (release: FakeRelease) => boolean) =>
        releases.find(release => release.repository === repository && test(release))
      // GET /repos/{owner}/{repo}/releases/tags/{tag}
      if (req.method === 'GET' && parts[0] === 'repos' && parts[3] === 'releases' && parts[4] === 'tags') {
        const release = find(`${parts[1]}/${parts[2]}`, r => r.tag === parts.slice(5).join('/'))
        return release ? send(200, releaseJson(release)) : send(404, { message: 'Not Found' })
      }
      // GET /repos/{owner}/{repo}/releases/{id}/assets
      if (req.method === 'GET' && parts[0] === 'repos' && parts[3] === 'releases' && parts[5] === 'assets') {
        const release = find(`${parts[1]}/${parts[2]}`, r => r.id === Number(parts[4]))
        return release
          ? send(
              200,
              release.assets.map(asset => assetJson(release, asset))
            )
          : send(404, { message: 'Not Found' })
      }
      // DELETE /repos/{owner}/{repo}/releases/assets/{asset_id}
      if (req.method === 'DELETE' && parts[0] === 'repos' && parts[4] === 'assets') {
        const release = find(`${parts[1]}/${parts[2]}`, r => r.assets.some(a => a.id === Number(parts[5])))
        if (!release) return send(404, { message: 'Not Found' })
        release.assets = release.assets.filter(asset => asset.id !== Number(parts[5]))
        return send(204)
      }
      // POST /uploads/repos/{owner}/{repo}/releases/{id}/assets?name=
      if (req.method === 'POST' && parts[0] === 'uploads' && parts[6] === 'assets') {
        const release = find(`${parts[2]}/${parts[3]}`, r => r.id === Number(parts[5]))
        const name = url.searchParams.get('name') ?? ''
        if (!release) return send(404, { message: 'Not Found' })
        if (release.assets.some(asset => asset.name === name)) {
          return send(422, {
            message: 'Validation Failed',
            errors: [{ code: 'already_exists', field: 'name' }]
          })
        }
        const asset = {
          id: nextId++,
          name,
          contentType: req.headers['content-type'] ?? '',
          content: Buffer.concat(chunks)
        }
        release.assets.push(asset)
        return send(201, assetJson(release, asset))
      }
      send(404, { message: `fake has no route for ${req.method} ${url.pathname}` })
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url: base,
    requests,
    addRelease(repository, tag, assets = []) {
      releases.push({
        id: nextId++,
        repository,
        tag,
        assets: assets.map(asset => ({
          id: nextId++,
          name: asset.name,
          contentType: 'application/octet-stream',
          content: Buffer.from(asset.content)
        }))
      })
    },
    assets(repository, tag) {
      return releases.find(release => release.repository === repository && release.tag === tag)?.assets ?? []
    },
    stop: () => new Promise<void>(resolve => server.close(() => resolve()))
  }
}
