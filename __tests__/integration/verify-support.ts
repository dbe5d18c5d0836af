import { DescribeSigningJobCommand, RevokeSigningProfileCommand } from '@aws-sdk/client-signer'
import { LocalStack } from '../../scripts/stack'
import { ActionRun, runAction } from '../../scripts/run-action'

/** Runs the bundled action in verify mode against the stack. */
export function verify(
  stack: LocalStack,
  inputs: Record<string, string>,
  workspace?: string
): Promise<ActionRun> {
  return runAction({ inputs: { mode: 'verify', ...inputs }, env: stack.env, workspace })
}

export interface JobOutput {
  id: string
  verdict: string
  reasons: string[]
}

export interface FunctionOutput {
  name: string
  job: string | null
  profileVersion: string | null
  verdict: string
  reasons: string[]
}

export const jobsOf = (run: ActionRun): JobOutput[] => JSON.parse(run.outputs.jobs ?? 'null')
export const functionsOf = (run: ActionRun): FunctionOutput[] => JSON.parse(run.outputs.functions ?? 'null')

export const profileArn = (stack: LocalStack, profileName: string, owner = stack.accountId): string =>
  `arn:aws:signer:${stack.region}:${owner}:/signing-profiles/${profileName}`

export const jobArn = (stack: LocalStack, jobId: string, owner = stack.accountId): string =>
  `arn:aws:signer:${stack.region}:${owner}:/signing-jobs/${jobId}`

/** The job as Signer describes it: its profile version ARN and its signing time (completedAt). */
export async function describe(stack: LocalStack, jobId: string) {
  const job = await stack.signer.send(new DescribeSigningJobCommand({ jobId }))
  return {
    ...job,
    profileVersionArn: `${profileArn(stack, job.profileName ?? '', job.jobOwner)}/${job.profileVersion}`,
    signedAt: job.completedAt ?? (job.createdAt as Date)
  }
}

/** RevokeSigningProfile of the version that signed `jobId`, effective at `effectiveTime`. */
export async function revokeProfileOf(stack: LocalStack, jobId: string, effectiveTime: Date): Promise<void> {
  const job = await describe(stack, jobId)
  await stack.signer.send(
    new RevokeSigningProfileCommand({
      profileName: job.profileName,
      profileVersion: job.profileVersion,
      reason: 'key leaked',
      effectiveTime
    })
  )
}

/** The smallest valid zip (an end of central directory record alone): moto stores the code, never runs it. */
const EMPTY_ZIP = Buffer.concat([Buffer.from('PK\x05\x06'), Buffer.alloc(18)]).toString('base64')

/** moto reads the service from the credential scope; it checks no signature. */
function mockAuthorization(service: string): string {
  return `AWS4-HMAC-SHA256 Credential=AKIDLOCALSTACK/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`
}

async function motoCall(
  stack: LocalStack,
  service: string,
  path: string,
  init: RequestInit
): Promise<Response> {
  const response = await fetch(`${stack.s3Endpoint}${path}`, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: mockAuthorization(service) }
  })
  return response
}

/** moto's Lambda needs an IAM role that exists; created once per stack. */
async function functionRole(stack: LocalStack): Promise<string> {
  const roleName = 'verify-test-function'
  const body = new URLSearchParams({
    Action: 'CreateRole',
    Version: '2010-05-08',
    RoleName: roleName,
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] })
  })
  const response = await motoCall(stack, 'iam', '/', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString()
  })
  if (!response.ok && !(await response.text()).includes('EntityAlreadyExists')) {
    throw new Error(`CreateRole answered ${response.status}`)
  }
  return `arn:aws:iam::${stack.accountId}:role/${roleName}`
}

/**
 * A Lambda function in moto running code signed by `signing` (none: unsigned). Lambda records SigningJobArn
 * and SigningProfileVersionArn from a signed zip; moto keeps the ones the function is created with, so the
 * request sends them as members (the SDK's CreateFunction input has no such members).
 */
export async function createFunction(
  stack: LocalStack,
  name: string,
  signing?: { jobArn: string; profileVersionArn: string }
): Promise<void> {
  const response = await motoCall(stack, 'lambda', '/2015-03-31/functions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Role: await functionRole(stack),
      Handler: 'index.handler',
      Code: { ZipFile: EMPTY_ZIP },
      ...(signing
        ? { SigningJobArn: signing.jobArn, SigningProfileVersionArn: signing.profileVersionArn }
        : {})
    })
  })
  if (response.status !== 201)
    throw new Error(`CreateFunction ${name} answered ${response.status}: ${await response.text()}`)
}
