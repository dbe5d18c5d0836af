import { FunctionRead, JobSource, JobTarget, ManifestJob } from './types'
import { jobIdOfArn } from './arns'

/**
 * One target per distinct job, in the order first named (manifest, then job-id, then the functions): a job
 * that several functions run, or that the manifest and job-id both name, is read and checked once.
 */
export function buildTargets(
  manifestJobs: readonly ManifestJob[],
  jobIds: readonly string[],
  functions: readonly FunctionRead[]
): JobTarget[] {
  const byId = new Map<string, JobTarget>()
  const add = (jobId: string, source: JobSource, manifest?: ManifestJob): void => {
    const known = byId.get(jobId)
    if (!known) {
      byId.set(jobId, { jobId, sources: [source], ...(manifest ? { manifest } : {}) })
      return
    }
    if (!known.sources.includes(source)) known.sources.push(source)
    if (manifest && !known.manifest) known.manifest = manifest
  }
  for (const job of manifestJobs) add(job.jobId, 'manifest', job)
  for (const jobId of jobIds) add(jobId, 'job-id')
  for (const fn of functions) {
    const jobId = fn.kind === 'found' && fn.signingJobArn ? jobIdOfArn(fn.signingJobArn) : undefined
    if (jobId) add(jobId, 'lambda')
  }
  return [...byId.values()]
}

/** The signing job ARN each job id has in Lambda's answers: the ARN GetRevocationStatus is asked about. */
export function lambdaJobArns(functions: readonly FunctionRead[]): Map<string, string> {
  const arns = new Map<string, string>()
  for (const fn of functions) {
    const jobId = fn.kind === 'found' && fn.signingJobArn ? jobIdOfArn(fn.signingJobArn) : undefined
    if (jobId && fn.kind === 'found' && fn.signingJobArn) arns.set(jobId, fn.signingJobArn)
  }
  return arns
}
