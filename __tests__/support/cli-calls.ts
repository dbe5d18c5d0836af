import * as fs from 'node:fs'
import * as yaml from 'js-yaml'

/**
 * The AWS CLI calls a workflow's job makes in its run scripts, and the IAM actions each needs, for the
 * policies of roles that run the CLI rather than this action (the deploy role of examples/lambda.yml).
 */

export interface CliCall {
  service: string
  /** The CLI subcommand, or `wait <waiter>`. */
  command: string
  options: string[]
}

/** `aws SERVICE COMMAND --opt ...` commands of every run script of `job`, line continuations joined. */
export function cliCalls(workflowFile: string, job: string): CliCall[] {
  const workflow = yaml.load(fs.readFileSync(workflowFile, 'utf8')) as {
    jobs: Record<string, { steps?: { run?: string }[] }>
  }
  const scripts = (workflow.jobs[job]?.steps ?? []).flatMap(step => (step.run ? [step.run] : []))
  const calls: CliCall[] = []
  for (const script of scripts) {
    for (const match of script
      .replace(/\\\n\s*/g, ' ')
      .matchAll(/\baws ([a-z0-9-]+) (wait [a-z0-9-]+|[a-z0-9-]+)([^\n;|)]*)/g)) {
      calls.push({
        service: match[1],
        command: match[2],
        options: [...match[3].matchAll(/--([a-z0-9-]+)/g)].map(m => m[1])
      })
    }
  }
  return calls
}

/** botocore's lambda waiters-2.json: the operation each waiter polls. */
const LAMBDA_WAITERS: Record<string, string> = {
  'function-active': 'GetFunctionConfiguration',
  'function-active-v2': 'GetFunction',
  'function-exists': 'GetFunction',
  'function-updated': 'GetFunctionConfiguration',
  'function-updated-v2': 'GetFunction',
  'published-version-active': 'GetFunctionConfiguration'
}

/** get-code-signing-config → GetCodeSigningConfig: the CLI spells the operation in kebab case. */
const operationOf = (command: string): string =>
  command.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, letter: string) => letter.toUpperCase())

/**
 * The IAM actions of a CLI call. Lambda's actions are named after its operations (Service Authorization
 * Reference, AWS Lambda); UpdateFunctionCode from S3 reads the object with the caller's permissions
 * (Lambda API reference, UpdateFunctionCode: S3Bucket/S3Key/S3ObjectVersion), a named version needing
 * s3:GetObjectVersion.
 */
export function cliIamActions(call: CliCall): string[] {
  if (call.service !== 'lambda') {
    throw new Error(`aws ${call.service} ${call.command}: add the service's IAM mapping to cli-calls.ts`)
  }
  if (call.command.startsWith('wait ')) {
    const waiter = call.command.slice('wait '.length)
    const operation = LAMBDA_WAITERS[waiter]
    if (!operation)
      throw new Error(`aws lambda wait ${waiter}: add its operation from botocore's waiters-2.json`)
    return [`lambda:${operation}`]
  }
  const actions = [`lambda:${operationOf(call.command)}`]
  if (call.command === 'update-function-code' && call.options.includes('s3-bucket')) {
    actions.push(call.options.includes('s3-object-version') ? 's3:GetObjectVersion' : 's3:GetObject')
  }
  return actions
}
