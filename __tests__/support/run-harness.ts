import * as core from '@actions/core'
import { S3Client } from '@aws-sdk/client-s3'
import { SignerClient } from '@aws-sdk/client-signer'
import { AwsClients } from '../../src/aws'
import { RunContext } from '../../src/context'

/** A run of the action on GitHub's runner, as readRunContext returns it; tests change what they check. */
export function runContext(overrides: Partial<RunContext> = {}): RunContext {
  return {
    repository: 'acme/firmware',
    commit: 'a1b2c3',
    ref: 'refs/heads/main',
    workflow: 'revoke',
    runId: '77',
    runAttempt: '1',
    actor: 'octo-sec',
    serverUrl: 'https://github.com',
    ...overrides
  }
}

/** Clients for aws-sdk-client-mock to intercept (mockClient(SignerClient) mocks every SignerClient). */
export function mockedClients(): AwsClients {
  return {
    region: 'us-east-1',
    signer: new SignerClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'us-east-1' })
  }
}

/** What a run printed and the outputs it set, captured afresh for each test. */
export interface RunCapture {
  outputs: Record<string, string>
  log: string
}

/**
 * Captures core.setOutput and the log (stdout, where core.info and the annotations go) in beforeEach, and
 * restores every mock in afterEach. Read the fields inside a test: the object is refilled for each one.
 */
export function captureRun(): RunCapture {
  const capture: RunCapture = { outputs: {}, log: '' }
  beforeEach(() => {
    capture.outputs = {}
    capture.log = ''
    jest.spyOn(core, 'setOutput').mockImplementation((name: string, value: unknown) => {
      capture.outputs[name] = String(value)
    })
    jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      capture.log += String(chunk)
      return true
    })
  })
  afterEach(() => jest.restoreAllMocks())
  return capture
}
