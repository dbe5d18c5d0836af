import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import * as core from '@actions/core'
import { MergeConfig } from '../config'
import { RunContext } from '../context'
import { InputError, errorMessage } from '../errors'
import { relativeInside } from '../paths'
import { uploadToRelease } from '../release/run'
import { mergedJobOutputs, writeMergeSummary } from '../report/merge-report'
import { setOutputs } from '../report/outputs'
import { checksumLines, writeChecksumsFile } from '../report/subject-checksums'
import { matchFiles } from '../sign/artifacts'
import { manifestText } from '../sign/provenance'
import { MANIFEST_NAME, writeFileAtomically } from '../sign/record'
import { combineShards } from './combine'
import { gatherFiles, releaseFiles } from './files'
import { parseShard } from './shard'

/**
 * merge: the manifests a matrix of sign jobs wrote become the release's one manifest.json (the bytes one
 * sign run of every artifact would have written), its checksums file and, with release-upload, its assets.
 * Nothing here calls AWS: the shards' jobs were proven when they were signed, and the signed files are
 * checked against the SHA-256 their manifests name.
 */
export async function runMerge(config: MergeConfig, context: Pick<RunContext, 'repository'>): Promise<void> {
  const ownManifest = path.join(config.outputDir, MANIFEST_NAME)
  const files = (await matchFiles(config.patterns, config.workspace)).filter(file => file !== ownManifest)
  if (files.length === 0) {
    throw new InputError(
      'path',
      `no shard manifest matched ${config.patterns.map(p => `'${p}'`).join(', ')} in the workspace ${config.workspace}`
    )
  }
  const outside = files.filter(file => relativeInside(config.workspace, file) === undefined)
  if (outside.length > 0) {
    throw new InputError(
      'path',
      `matched files outside the workspace ${config.workspace}: ${outside.join(', ')}`
    )
  }
  const shards = await Promise.all(files.map(async file => parseShard(file, await fs.readFile(file, 'utf8'))))
  const release = combineShards(shards)
  core.info(`Merging ${release.jobs.length} signing job(s) from ${shards.length} shard manifest(s)`)

  const gathered = await gatherFiles(
    releaseFiles(release.jobs),
    shards.map(shard => path.dirname(shard.file)),
    config.outputDir
  )
  await writeFileAtomically(ownManifest, manifestText(release.jobs, release))
  const jobs = mergedJobOutputs(release.jobs, gathered)
  setOutputs({ 'manifest-path': ownManifest, jobs: JSON.stringify(jobs) })
  const checksums = await writeChecksumsFile(
    checksumLines(gathered.map(file => ({ name: file.name, sha256: file.signedSha256 })))
  )
  if (checksums) setOutputs({ 'subject-checksums': checksums })
  core.info(
    `Wrote ${ownManifest}: ${jobs.length} artifact(s), ${gathered.filter(f => f.path).length} signed file(s) at hand`
  )
  if (config.showSummary) {
    await writeMergeSummary(release, files, jobs).catch((error: unknown) =>
      core.warning(`Could not write the job summary: ${errorMessage(error)}`)
    )
  }

  const missing = gathered.filter(file => file.path === undefined).map(file => file.name)
  if (missing.length > 0) {
    const message =
      `signed file(s) not found next to any shard manifest: ${missing.join(', ')} ` +
      '(download every shard artifact, each with its manifest.json beside its signed files)'
    if (config.release) throw new Error(`release-upload needs every signed file: ${message}`)
    core.warning(message)
  }
  if (config.release) {
    await uploadToRelease(
      gathered.map(file => ({ signedPath: file.path })),
      { ...config.release, manifest: ownManifest },
      context
    )
  }
}
