import * as core from '@actions/core'
import type { SummaryTableRow } from '@actions/core/lib/summary'
import { MergedRelease } from '../merge/combine'
import { ReleaseFile } from '../merge/files'
import { signedFileName } from '../provenance/manifest'
import { JobProvenance } from '../provenance/types'
import { code, escapeHtml } from './html'
import { JobOutput } from './sign-outputs'

/**
 * The `jobs` output of a merge: one element per artifact, as the sign run that signed it set it. The token
 * is not in a manifest (it is derived, and a re-run derives it again), so it is null here.
 */
export function mergedJobOutputs(jobs: readonly JobProvenance[], files: readonly ReleaseFile[]): JobOutput[] {
  const merged = new Map(files.map(file => [file.name, file.path]))
  return jobs
    .flatMap(job =>
      job.artifactPaths.map(artifactPath => ({
        path: artifactPath,
        sha256: job.sha256 || null,
        sourceKey: job.source.key,
        sourceVersionId: job.source.versionId,
        clientRequestToken: null,
        jobId: job.jobId,
        jobOwner: job.jobOwner,
        status: job.status,
        signatureExpiresAt: job.signatureExpiresAt,
        signedBucket: job.signed?.bucket ?? null,
        signedKey: job.signed?.key ?? null,
        signedVersionId: job.signedVersionId ?? null,
        signedPath: merged.get(signedFileName(artifactPath)) ?? null,
        signedSha256: job.signedSha256
      }))
    )
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

const HEADER: SummaryTableRow = ['Artifact', 'Job', 'Status', 'Signed SHA-256', 'Merged copy'].map(data => ({
  data,
  header: true
}))

export async function writeMergeSummary(
  release: MergedRelease,
  shards: readonly string[],
  outputs: readonly JobOutput[]
): Promise<void> {
  const rows: SummaryTableRow[] = outputs.map(job => [
    code(job.path),
    job.jobId ? code(job.jobId) : '—',
    escapeHtml(job.status),
    job.signedSha256 ? code(job.signedSha256) : '—',
    job.signedPath ? 'yes' : 'not at hand'
  ])
  await core.summary
    .addHeading('AWS Signer: merged release', 2)
    .addRaw(
      `<p>${release.jobs.length} signing job(s) of ${escapeHtml(release.repository)}@${escapeHtml(release.commit)} ` +
        `from ${shards.length} shard manifest(s)</p>`,
      true
    )
    .addTable([HEADER, ...rows])
    .write()
}
