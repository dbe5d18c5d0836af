import { errorMessage } from '../errors'
import { hashFile } from '../sign/artifacts'
import { FileRead, ManifestJob } from './types'

/**
 * The SHA-256 of each signed file the manifest names, where the sign run wrote it. A file that is not there
 * is reported as missing (the check says it was not checked); any other read error is kept for the check.
 */
export async function readSignedFiles(manifest: ManifestJob | undefined): Promise<FileRead[]> {
  if (!manifest) return []
  return Promise.all(
    manifest.signedFiles.map(async ({ relativePath, absolutePath }): Promise<FileRead> => {
      try {
        return { relativePath, kind: 'hashed', sha256: (await hashFile(absolutePath)).sha256 }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { relativePath, kind: 'missing' }
        return { relativePath, kind: 'error', error: errorMessage(error) }
      }
    })
  )
}
