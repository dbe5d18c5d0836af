import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import { LocalStack } from '../../scripts/stack'
import { ActionRun, runAction } from '../../scripts/run-action'
import { StartRecord } from '../../src/provenance/types'

/** The GITHUB_* variables of one workflow run. */
export function githubRun(repository: string, commit: string, runId: string, attempt = '1') {
  return {
    GITHUB_REPOSITORY: repository,
    GITHUB_SHA: commit,
    GITHUB_RUN_ID: runId,
    GITHUB_RUN_ATTEMPT: attempt,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_WORKFLOW: 'release',
    GITHUB_ACTOR: 'release-bot'
  }
}

/** Runs revoke mode against the stack's profile and bucket, with its own RUNNER_TEMP for the record file. */
export function revoke(
  stack: LocalStack,
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): Promise<ActionRun> {
  const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'signer-runner-temp-'))
  return runAction({
    env: { ...stack.env, RUNNER_TEMP: runnerTemp, ...env },
    github: { GITHUB_ACTOR: 'octo-sec', GITHUB_RUN_ID: '9001', GITHUB_REPOSITORY: 'acme/security' },
    inputs: {
      mode: 'revoke',
      reason: 'INC-4800: commit built from a compromised branch',
      'profile-name': stack.profileName,
      'records-bucket': stack.bucket,
      ...inputs
    }
  })
}

export async function readRecord(
  stack: LocalStack,
  key: string
): Promise<StartRecord & Record<string, unknown>> {
  const object = await stack.s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }))
  return JSON.parse((await object.Body?.transformToString()) ?? '') as StartRecord & Record<string, unknown>
}

export const ids = (run: ActionRun, output: string): string[] => JSON.parse(run.outputs[output] ?? 'null')
