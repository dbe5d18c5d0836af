import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { readManifest } from '../../src/verify/manifest'

describe('readManifest', () => {
  it('finds each signed file where sign mode downloaded it, a source object by its key', async () => {
    const workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'verify-manifest-')))
    try {
      const outputDir = path.join(workspace, 'signed')
      fs.mkdirSync(outputDir)
      const manifest = path.join(outputDir, 'manifest.json')
      const job = (jobId: string, artifactPaths: string[]) => ({
        jobId,
        artifactPaths,
        signedSha256: null,
        profileName: 'release'
      })
      fs.writeFileSync(
        manifest,
        JSON.stringify({ jobs: [job('job-a', ['dist/app.zip']), job('job-b', ['s3://builds/app/fw.zip'])] })
      )
      const jobs = await readManifest(manifest, workspace)
      expect(jobs.map(j => j.signedFiles)).toEqual([
        [
          {
            relativePath: path.join('signed', 'dist', 'app.zip'),
            absolutePath: path.join(outputDir, 'dist', 'app.zip')
          }
        ],
        [{ relativePath: path.join('signed', 'fw.zip'), absolutePath: path.join(outputDir, 'fw.zip') }]
      ])
    } finally {
      fs.rmSync(workspace, { recursive: true, force: true })
    }
  })
})
