import { failedReasons } from '../verify/verdict'
import { VerifyRecord } from '../verify/types'
import { setOutputs } from './outputs'

/** verdict, invalid-job-ids, jobs and functions, as JSON where a workflow reads them with fromJSON. */
export function setVerifyOutputs(record: VerifyRecord): void {
  const invalid = record.jobs.filter(job => job.verdict === 'invalid').map(job => job.jobId)
  setOutputs({
    verdict: overallVerdict(record),
    'invalid-job-ids': JSON.stringify(invalid),
    jobs: JSON.stringify(
      record.jobs.map(job => ({ id: job.jobId, verdict: job.verdict, reasons: failedReasons(job) }))
    ),
    functions: JSON.stringify(
      record.functions.map(fn => ({
        name: fn.name,
        job: fn.jobId ?? null,
        profileVersion: fn.profileVersionArn ?? null,
        verdict: fn.verdict,
        reasons: fn.reasons
      }))
    )
  })
}

/** Invalid when any job or any function is; an unsigned function that was not named is reported, not failed. */
export function overallVerdict(record: VerifyRecord): 'valid' | 'invalid' {
  const invalid =
    record.jobs.some(job => job.verdict === 'invalid') ||
    record.functions.some(fn => fn.verdict === 'invalid')
  return invalid ? 'invalid' : 'valid'
}
