import { LocalStack, startStack } from '../../scripts/stack'
import { errorLines, runAction } from '../../scripts/run-action'

let stack: LocalStack

beforeAll(async () => {
  stack = await startStack()
})

afterAll(async () => {
  await stack?.stop()
})

const JOB = '0c8a1d2e-5b7f-4e0a-9a57-1f1e2d3c4b5a'
const VERSION = 'AbCdE12345'

/** Each bad input, and the words the failure must say: the input's name and what is expected. */
const CASES: [string, Record<string, string>, RegExp][] = [
  ['no reason', { reason: '', 'job-id': JOB }, /Input 'reason': is required in revoke mode/],
  ['a blank reason', { reason: '   ', 'job-id': JOB }, /Input 'reason': is required/],
  [
    'a reason over 500 characters',
    { reason: 'x'.repeat(501), 'job-id': JOB },
    /Input 'reason': must be 1-500 characters, got 501/
  ],
  ['nothing to revoke', {}, /Input 'job-ids': nothing to revoke/],
  ['a job list of separators only', { 'job-id': ' ,\n , ' }, /Input 'job-id': lists no job id/],
  [
    'a malformed job id',
    { 'job-id': `${JOB}, not a job` },
    /Input 'job-id': 'not a job' is not a signing job id/
  ],
  [
    'a malformed job owner',
    { 'job-id': JOB, 'job-owner': '1234' },
    /Input 'job-owner': expected a 12-digit AWS account ID/
  ],
  [
    'a profile version of the wrong length',
    { 'profile-name': 'release_signing', 'profile-version': 'v1' },
    /Input 'profile-version': expected 10 letters or digits, got 'v1'/
  ],
  [
    'a profile version without a profile name',
    { 'profile-version': VERSION },
    /Input 'profile-name': is required with profile-version/
  ],
  [
    'an effective time that is not ISO-8601',
    { 'profile-name': 'release_signing', 'profile-version': VERSION, 'effective-time': 'yesterday 5pm' },
    /Input 'effective-time': expected an ISO-8601 time with a zone/
  ],
  [
    'an effective time without a zone',
    {
      'profile-name': 'release_signing',
      'profile-version': VERSION,
      'effective-time': '2026-11-20T08:00:00'
    },
    /Input 'effective-time': expected an ISO-8601 time with a zone/
  ],
  [
    // AWS refuses it ("The start time cannot be in the future"): caught here, not by the approved run.
    'an effective time in the future',
    {
      'profile-name': 'release_signing',
      'profile-version': VERSION,
      'effective-time': new Date(Date.now() + 3_600_000).toISOString()
    },
    /Input 'effective-time': must not be in the future: AWS Signer revokes a profile version only from a time in the past/
  ],
  [
    'an impossible date in the window',
    { 'profile-name': 'release_signing', 'signed-after': '2026-02-30T00:00:00Z' },
    /Input 'signed-after': expected an ISO-8601 time/
  ],
  [
    'a window that ends before it starts',
    { 'profile-name': 'release_signing', 'signed-after': '2026-11-21', 'signed-before': '2026-11-20' },
    /Input 'signed-before': must be later than signed-after/
  ],
  [
    'a window without a profile name',
    { 'signed-after': '2026-11-20' },
    /Input 'profile-name': is required with signed-after\/signed-before/
  ],
  [
    'a profile name alone',
    { 'profile-name': 'release_signing', 'job-id': JOB },
    /Input 'profile-version': or signed-after\/signed-before is required with profile-name/
  ],
  [
    'a dry-run that is not a boolean',
    { 'job-id': JOB, 'dry-run': 'yes' },
    /Input 'dry-run': expected 'true' or 'false', got 'yes'/
  ],
  [
    "require-approval: true with the empty approved-job-ids a renamed plan step's output gives",
    { 'job-id': JOB, 'require-approval': 'true', 'approved-job-ids': '' },
    /Input 'approved-job-ids': is empty, and require-approval is true/
  ]
]

describe('revoke mode: bad inputs fail before any AWS call', () => {
  it.each(CASES)('%s', async (_name, inputs, message) => {
    await stack.emulator.admin.clearCalls()
    const run = await runAction({
      inputs: { mode: 'revoke', reason: 'INC-4715', ...inputs },
      env: stack.env
    })
    expect(run.exitCode).toBe(1)
    expect(errorLines(run)).toEqual([expect.stringMatching(message)])
    expect(await stack.emulator.admin.calls()).toEqual([])
    expect(run.outputs).toEqual({})
  })
})
