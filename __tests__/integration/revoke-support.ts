import { randomUUID } from 'node:crypto'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { ListSigningJobsCommand, StartSigningJobCommand } from '@aws-sdk/client-signer'
import { lambdaZip } from '../../emulator/testing'
import { LocalStack } from '../../scripts/stack'
import { mapLimit } from '../../src/concurrency'

/** Uploads one artifact version to the stack's versioned bucket. */
export async function uploadArtifact(stack: LocalStack, key = `unsigned/app-${randomUUID()}.zip`) {
  const put = await stack.s3.send(
    new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: lambdaZip(`artifact ${key}`) })
  )
  if (!put.VersionId) throw new Error('the bucket should be versioned')
  return { key, version: put.VersionId }
}

/**
 * Starts `count` signing jobs of a profile (each with its own request token, all on one artifact version,
 * `concurrency` calls at a time) and waits until none is in progress. Returns the job ids in start order.
 */
export async function createJobs(
  stack: LocalStack,
  count: number,
  profileName: string = stack.profileName,
  concurrency = 10
): Promise<string[]> {
  const source = await uploadArtifact(stack)
  const ids = await mapLimit(Array.from({ length: count }), concurrency, async () => {
    const started = await stack.signer.send(
      new StartSigningJobCommand({
        profileName,
        clientRequestToken: randomUUID(),
        source: { s3: { bucketName: stack.bucket, key: source.key, version: source.version } },
        destination: { s3: { bucketName: stack.bucket, prefix: 'signed/' } }
      })
    )
    if (!started.jobId) throw new Error('StartSigningJob returned no job id')
    return started.jobId
  })
  await waitUntilNoJobInProgress(stack)
  return ids
}

export async function waitUntilNoJobInProgress(stack: LocalStack, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const page = await stack.signer.send(new ListSigningJobsCommand({ status: 'InProgress', maxResults: 1 }))
    if ((page.jobs ?? []).length === 0) return
    if (Date.now() > deadline) throw new Error('signing jobs still in progress')
    await new Promise(resolve => setTimeout(resolve, 25))
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms))
}

/** The operations the action made, in order, from the emulator's call log. */
export async function operations(stack: LocalStack): Promise<string[]> {
  return (await stack.emulator.admin.calls()).map(call => call.operation)
}
