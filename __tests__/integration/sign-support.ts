import { createHash } from 'node:crypto'
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3'
import { AddProfilePermissionCommand, PutSigningProfileCommand } from '@aws-sdk/client-signer'
import type { CallRecord } from '../../emulator/call-log'
import { signerClientAs } from '../../emulator/testing'
import { JobOutput } from '../../src/report/sign-outputs'
import { LocalStack } from '../../scripts/stack'
import { ActionRun, RunOptions, runAction } from '../../scripts/run-action'

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex')

/** Runs the bundled action in sign mode against the stack, with its bucket and profile unless overridden. */
export function sign(
  stack: LocalStack,
  inputs: Record<string, string>,
  options: Omit<RunOptions, 'inputs' | 'env'> & { env?: Record<string, string> } = {}
): Promise<ActionRun> {
  return runAction({
    ...options,
    env: { ...stack.env, ...options.env },
    inputs: {
      'profile-name': stack.profileName,
      'source-bucket': stack.bucket,
      'timeout-seconds': '30',
      ...inputs
    }
  })
}

/** Every object version (and delete marker) under a prefix of the stack's bucket. */
export async function versionsUnder(stack: LocalStack, prefix: string, bucket = stack.bucket) {
  const listed = await stack.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }))
  return [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])]
}

/** The Signer operations the action made, in order, from the emulator's call log. */
export async function operations(stack: LocalStack): Promise<string[]> {
  return (await stack.emulator.admin.calls()).map(call => call.operation)
}

export function jobsOutput(run: ActionRun): JobOutput[] {
  return JSON.parse(run.outputs.jobs ?? 'null')
}

/** Lambda signing profiles of the stack's own account, for tests that inject faults by profile name. */
export async function putProfiles(stack: LocalStack, ...profileNames: string[]): Promise<void> {
  for (const profileName of profileNames) {
    await stack.signer.send(
      new PutSigningProfileCommand({ profileName, platformId: 'AWSLambda-SHA384-ECDSA' })
    )
  }
}

/** The account that owns the cross-account profiles below (profile-owner). */
export const PROFILE_OWNER_ACCOUNT = '111122223333'

/**
 * A Lambda profile of PROFILE_OWNER_ACCOUNT, shared with the stack's account for `actions` (none: not
 * shared). After the first permission, each one names the policy's current revisionId, as AWS requires.
 */
export async function putOwnerProfile(
  stack: LocalStack,
  profileName: string,
  actions: string[]
): Promise<void> {
  await stack.emulator.admin.configure({
    identities: { AKIDPROFILEOWNER: { accountId: PROFILE_OWNER_ACCOUNT } }
  })
  const owner = signerClientAs(stack.signerEndpoint, stack.region, 'AKIDPROFILEOWNER')
  try {
    await owner.send(new PutSigningProfileCommand({ profileName, platformId: 'AWSLambda-SHA384-ECDSA' }))
    let revisionId: string | undefined
    for (const action of actions) {
      const added = await owner.send(
        new AddProfilePermissionCommand({
          profileName,
          action,
          principal: stack.accountId,
          statementId: action.replace(':', '-'),
          revisionId
        })
      )
      revisionId = added.revisionId
    }
  } finally {
    owner.destroy()
  }
}

/**
 * The status calls (DescribeSigningJob, ListSigningJobs) in a call log, and the watcher's bound for them: 2 per
 * artifact plus 2 per second of waiting, from the first StartSigningJob to the last status call.
 */
export function statusCallBudget(calls: CallRecord[], artifacts: number) {
  const starts = calls.filter(call => call.operation === 'StartSigningJob').map(call => Date.parse(call.time))
  const status = calls.filter(call => ['DescribeSigningJob', 'ListSigningJobs'].includes(call.operation))
  const waitingSeconds = (Math.max(...status.map(call => Date.parse(call.time))) - Math.min(...starts)) / 1000
  return { status, bound: 2 * artifacts + 2 * Math.ceil(waitingSeconds) }
}
