import * as core from '@actions/core'
import { S3Client } from '@aws-sdk/client-s3'
import { SignConfig } from '../config'
import { RunContext } from '../context'
import { errorMessage } from '../errors'
import { FACT_FIELDS } from '../provenance/compare'
import { recordKeys, recordsPrefix } from '../provenance/layout'
import { OnceMap } from './once'
import { startRecord } from './provenance'
import { compareJson, putOnce } from './put-once'
import { sourceKey } from './source'
import { Artifact, ArtifactResult } from './types'

/**
 * Writes each job's start record right after StartSigningJob, once per job, under every index key, and
 * keeps the writes in flight where a cancelled run can wait for them: a run stopped by SIGINT or SIGTERM
 * still leaves the record of every job it started.
 */
export class StartRecorder {
  private readonly jobs = new OnceMap<string, void>()
  private readonly inFlight = new Set<Promise<unknown>>()
  /** Jobs whose start record is written (or found, agreeing) under every key. */
  private readonly written = new Set<string>()
  private readonly pathsBySource: Map<string, string[]>

  constructor(
    private readonly s3: S3Client,
    private readonly config: SignConfig,
    private readonly context: RunContext,
    private readonly region: string,
    private readonly runStartedAt: Date,
    artifacts: readonly Artifact[]
  ) {
    this.pathsBySource = sharedPaths(artifacts, config.sourcePrefix)
  }

  /** Keeps `work` where settle() can wait for it: a prepare stage that may be starting a job. */
  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work)
    const forget = (): void => void this.inFlight.delete(work)
    work.then(forget, forget)
    return work
  }

  /** The start record of the artifact's job, written once however many artifacts share the job. */
  record(result: ArtifactResult): Promise<void> {
    const { job, source } = result
    if (!job || !source) return Promise.resolve()
    return this.track(this.jobs.get(job.jobId, () => this.write(result)))
  }

  /**
   * For a cancelled run: waits (at most `budgetMs`) for the work in flight, then for the records of every
   * job started by then. Returns the jobs whose record is still not known to be written.
   */
  async settle(results: readonly ArtifactResult[], budgetMs: number): Promise<string[]> {
    const deadline = new Promise<'late'>(resolve => setTimeout(() => resolve('late'), budgetMs).unref())
    const all = async (): Promise<void> => {
      await Promise.allSettled([...this.inFlight])
      await Promise.allSettled(results.map(result => this.record(result)))
    }
    await Promise.race([all(), deadline])
    const started = results.flatMap(result => (result.job ? [result.job.jobId] : []))
    return [...new Set(started)].filter(jobId => !this.written.has(jobId))
  }

  private async write(result: ArtifactResult): Promise<void> {
    const { job, source, artifact } = result
    if (!job || !source) return
    const keys = recordKeys(recordsPrefix(this.config.destinationPrefix), {
      ...this.context,
      jobId: job.jobId
    })
    if (keys.length === 0) {
      // Outside a GitHub run there is nothing to index: the end of the run says so once.
      this.written.add(job.jobId)
      return
    }
    const record = startRecord(
      {
        job,
        source,
        sha256: artifact.sha256,
        artifactPaths: this.pathsBySource.get(sourceIdentity(artifact, this.config.sourcePrefix)) ?? [
          artifact.relativePath
        ],
        runStartedAt: this.runStartedAt
      },
      this.context,
      this.config,
      this.region
    )
    const body = `${JSON.stringify(record, null, 2)}\n`
    const compare = compareJson(record, FACT_FIELDS)
    const [canonical, ...indexes] = keys
    const put = (key: string) =>
      putOnce(
        this.s3,
        {
          bucket: this.config.destinationBucket,
          key,
          body,
          expectedBucketOwner: this.config.expectedBucketOwner
        },
        compare
      )
    try {
      // The job's own record first: an index record is only believed where it agrees with it.
      await put(canonical)
      await Promise.all(indexes.map(put))
    } catch (error) {
      throw new Error(
        `job ${job.jobId} started, but its provenance record could not be written: ${errorMessage(error)}`,
        { cause: error }
      )
    }
    this.written.add(job.jobId)
    core.debug(`Start record of job ${job.jobId} written under ${keys.length} key(s)`)
  }
}

/** What makes two artifacts share a job: the same source object (same bytes and name, or the same S3 object). */
function sourceIdentity(artifact: Artifact, sourcePrefix: string): string {
  return artifact.object
    ? `${artifact.object.bucket}/${artifact.object.key}@${artifact.object.versionId}`
    : sourceKey(sourcePrefix, artifact)
}

/** The workspace paths of the artifacts that will share each source object, and so each job. */
export function sharedPaths(artifacts: readonly Artifact[], sourcePrefix: string): Map<string, string[]> {
  const paths = new Map<string, string[]>()
  for (const artifact of artifacts) {
    const identity = sourceIdentity(artifact, sourcePrefix)
    paths.set(identity, [...(paths.get(identity) ?? []), artifact.relativePath])
  }
  return paths
}
