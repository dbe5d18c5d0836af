import * as core from '@actions/core'

/** Every output declared in action.yml; a unit test keeps the two lists in step. */
export const OUTPUT_NAMES = [
  'job-id',
  'job-owner',
  'signature-expires-at',
  'client-request-token',
  'source-key',
  'source-version-id',
  'signed-bucket',
  'signed-key',
  'signed-version-id',
  'signed-path',
  'sha256',
  'status',
  'signed-sha256',
  'jobs',
  'subject-checksums',
  'manifest-path',
  'revoked-job-ids',
  'skipped-job-ids',
  'failed-job-ids',
  'planned-job-ids',
  'revoked-profile-version',
  'unresolved-job-ids',
  'contradicted-job-ids',
  'record-path',
  'permissions',
  'revision-id',
  'changed',
  'verdict',
  'invalid-job-ids',
  'functions'
] as const

export type OutputName = (typeof OUTPUT_NAMES)[number]

/** Sets outputs by their declared names only, so a typo cannot create an undeclared output. */
export function setOutputs(values: Partial<Record<OutputName, string>>): void {
  for (const name of OUTPUT_NAMES) {
    const value = values[name]
    if (value !== undefined) core.setOutput(name, value)
  }
}
