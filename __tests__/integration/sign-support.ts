import { createHash } from 'node:crypto'
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3'
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
