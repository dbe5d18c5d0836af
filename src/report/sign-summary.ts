import * as path from 'node:path'
import * as core from '@actions/core'
import type { SummaryTableRow } from '@actions/core/lib/summary'
import { errorMessage } from '../errors'
import { ArtifactResult } from '../sign/types'
import { escapeHtml } from './html'
import { NOT_STARTED } from './sign-outputs'

export interface SignSummaryContext {
  region: string
  profileName: string
  profileOwner?: string
  workspace: string
}

/** The job's page in the AWS console. */
export function consoleJobUrl(region: string, jobId: string): string {
  return `https://${region}.console.aws.amazon.com/signer/home?region=${region}#/jobs/${encodeURIComponent(jobId)}`
}

const HEADER: SummaryTableRow = [
  'Artifact',
  'SHA-256',
  'Job',
  'Status',
  'Signature expires',
  'Signed object'
].map(data => ({ data, header: true }))

/** One table row per artifact; every cell escaped, none empty (an empty cell renders as an unclosed tag). */
export function signSummaryRows(results: ArtifactResult[], context: SignSummaryContext): SummaryTableRow[] {
  const rows = results.map(result => {
    const job = result.job
    const status = job?.status ?? NOT_STARTED
    const problem = result.error ? `<br>${escapeHtml(errorMessage(result.error))}` : ''
    const signed = job?.signedObject
      ? `<code>s3://${escapeHtml(`${job.signedObject.bucket}/${job.signedObject.key}`)}</code>`
      : '—'
    const local = result.signedPath
      ? `<br>→ <code>${escapeHtml(path.relative(context.workspace, result.signedPath) || result.signedPath)}</code>`
      : ''
    return [
      `<code>${escapeHtml(result.artifact.relativePath)}</code>`,
      result.artifact.sha256 ? `<code>${result.artifact.sha256.slice(0, 12)}</code>` : 'unknown',
      job
        ? `<a href="${escapeHtml(consoleJobUrl(context.region, job.jobId))}">${escapeHtml(job.jobId)}</a>`
        : '—',
      `${result.error ? '❌' : status === 'Succeeded' ? '✅' : '⏳'} ${escapeHtml(status)}${problem}`,
      // 'none': a signed job without an expiry (the IoT and FreeRTOS platforms set none); '—': no signature yet.
      job?.signatureExpiresAt ? job.signatureExpiresAt.toISOString() : status === 'Succeeded' ? 'none' : '—',
      `${signed}${local}`
    ]
  })
  return [HEADER, ...rows]
}

export function signSummaryHeadline(results: ArtifactResult[], context: SignSummaryContext): string {
  const succeeded = results.filter(result => !result.error && result.job?.status === 'Succeeded').length
  const failed = results.filter(result => result.error).length
  const owner = context.profileOwner ? ` (owner ${escapeHtml(context.profileOwner)})` : ''
  const parts = [`${succeeded} of ${results.length} signed`]
  if (failed > 0) parts.push(`${failed} failed`)
  return `Profile <code>${escapeHtml(context.profileName)}</code>${owner} in ${escapeHtml(context.region)}: ${parts.join(', ')}`
}

/** The job summary: a headline and one table for the run. */
export async function writeSignSummary(
  results: ArtifactResult[],
  context: SignSummaryContext
): Promise<void> {
  await core.summary
    .addHeading('AWS Signer', 2)
    .addRaw(`<p>${signSummaryHeadline(results, context)}</p>`, true)
    .addTable(signSummaryRows(results, context))
    .write()
}
