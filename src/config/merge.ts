import * as path from 'node:path'
import { InputError } from '../errors'
import { InputReader, listInput } from '../inputs'
import { outputDirInput, releaseInput } from './sign'
import { CommonConfig, MergeConfig } from './types'

/** merge: path names the shards' manifests; output-dir and release-upload mean what they mean in sign mode. */
export function buildMergeConfig(
  read: InputReader,
  env: NodeJS.ProcessEnv
): Omit<MergeConfig, keyof CommonConfig> {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd())
  const patterns = listInput(read, 'path', /\n/)
  if (patterns.length === 0) {
    throw new InputError(
      'path',
      "is required in merge mode: the shards' manifest.json files (one file or glob pattern per line, relative to the workspace)"
    )
  }
  // The merged files are on disk whenever merge finds them: download is not an input of this mode.
  return {
    mode: 'merge',
    workspace,
    patterns,
    outputDir: outputDirInput(read, workspace),
    ...releaseInput(read, env, true)
  }
}
