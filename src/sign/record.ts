import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import * as core from '@actions/core'
import { AwsClients } from '../aws'
import { SignConfig } from '../config'
import { RunContext } from '../context'
import { mapLimit } from '../concurrency'
import { errorMessage } from '../errors'
import { FINISH_FIELDS } from '../provenance/compare'
import { canIndex, finishRecordKey, recordsPrefix } from '../provenance/layout'
import { setOutputs } from '../report/outputs'
import { finishRecord, jobRecords, manifestText, runProvenance } from './provenance'
import { compareJson, putOnce } from './put-once'
import { ArtifactResult } from './types'

export const MANIFEST_NAME = 'manifest.json'

/**
 * After every artifact is done (the finish stage hashed each signed file): writes manifest.json into output-dir and each
 * succeeded job's finish record to S3 next to its start record, and sets `manifest-path`. A record that cannot be written
 * fails its artifacts (a signature nobody can trace is an incident waiting to happen), after the others.
 * Returns the manifest's path when it was written (release-upload attaches it).
 */
export async function recordProvenance(
  results: ArtifactResult[],
  config: SignConfig,
  clients: AwsClients,
  context: RunContext
): Promise<string | undefined> {
  const records = jobRecords(results, context, config, clients.region)
  if (!config.download && records.length > 0) {
    const why = config.wait ? 'download: false' : 'wait: false'
    core.info(
      `${why}: nothing was downloaded, so the provenance records lack the SHA-256 of the signed files`
    )
  }

  if (records.length === 0) {
    core.info('No signing job to record: no manifest is written')
    return
  }
  const manifestPath = path.join(config.outputDir, MANIFEST_NAME)
  let written: string | undefined
  try {
    if (results.some(result => result.signedPath === manifestPath)) {
      throw new Error(`an artifact's signed copy is ${manifestPath}: move that artifact or change output-dir`)
    }
    await writeFileAtomically(manifestPath, manifestText(records, context))
    setOutputs({ 'manifest-path': manifestPath })
    written = manifestPath
    core.info(`Provenance of ${records.length} signing job(s) written to ${manifestPath}`)
  } catch (error) {
    failRecorded(results, `the manifest could not be written: ${errorMessage(error)}`)
  }

  const prefix = recordsPrefix(config.destinationPrefix)
  if (!canIndex(context.repository, context.commit)) {
    core.warning(
      'No GITHUB_REPOSITORY or GITHUB_SHA (not on a GitHub runner?): provenance records were not written to ' +
        'S3, so revoke mode cannot find these jobs by commit, run or repository'
    )
    return written
  }
  const run = runProvenance(context)
  const finished = records.filter(record => record.status === 'Succeeded')
  await mapLimit(finished, config.maxConcurrency, async record => {
    const versionId = results.find(result => result.job?.jobId === record.jobId)?.signedVersionId ?? null
    const finish = finishRecord(record, versionId, run)
    const key = finishRecordKey(prefix, record.jobId)
    try {
      await putOnce(
        clients.s3,
        {
          bucket: config.destinationBucket,
          key,
          body: `${JSON.stringify(finish, null, 2)}\n`,
          expectedBucketOwner: config.expectedBucketOwner
        },
        compareJson(finish, FINISH_FIELDS)
      )
    } catch (error) {
      failRecorded(
        results.filter(result => result.job?.jobId === record.jobId),
        `signed, but its finish record could not be written to s3://${config.destinationBucket}/${key}: ${errorMessage(error)}`
      )
    }
  })
  core.info(`Provenance records are under s3://${config.destinationBucket}/${prefix}`)
  return written
}

function failRecorded(results: readonly ArtifactResult[], message: string): void {
  for (const result of results) {
    if (result.job && !result.error) result.error = new Error(message)
  }
}

/** Through a temporary file renamed into place: a reader never sees half a manifest. */
export async function writeFileAtomically(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true })
  const partial = `${file}.${randomBytes(4).toString('hex')}.partial`
  try {
    await fs.writeFile(partial, text, { flag: 'wx' })
    await fs.rename(partial, file)
  } catch (error) {
    await fs.rm(partial, { force: true })
    throw error
  }
}
