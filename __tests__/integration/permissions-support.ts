import {
  AddProfilePermissionCommand,
  ListProfilePermissionsCommand,
  Permission,
  PutSigningProfileCommand
} from '@aws-sdk/client-signer'
import type { CallRecord } from '../../emulator/admin-client'
import { ActionRun, runAction } from '../../scripts/run-action'
import { LocalStack } from '../../scripts/stack'

let nextProfile = 1

/**
 * A fresh Active profile of the stack's account, so each test starts without a policy. The IoT platforms
 * need the caller's certificate; Signer manages it for the Lambda and container platforms.
 */
export async function newProfile(
  stack: LocalStack,
  prefix = 'perm',
  platformId = 'AWSLambda-SHA384-ECDSA'
): Promise<string> {
  const profileName = `${prefix}_${process.pid}_${nextProfile++}`
  const certificate = /^(AWSIoT|AmazonFreeRTOS)/.test(platformId)
    ? { signingMaterial: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/a' } }
    : {}
  await stack.signer.send(new PutSigningProfileCommand({ profileName, platformId, ...certificate }))
  return profileName
}

export type Seed = Required<Pick<Permission, 'statementId' | 'principal' | 'action'>> &
  Pick<Permission, 'profileVersion'>

/**
 * The profile's current revisionId; undefined while it has no policy (its listing answers
 * ResourceNotFoundException, as AWS's does).
 */
export async function currentRevision(stack: LocalStack, profileName: string): Promise<string | undefined> {
  try {
    return (await stack.signer.send(new ListProfilePermissionsCommand({ profileName }))).revisionId
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined
    throw error
  }
}

/** Adds statements through the SDK, each against the revision the previous one returned; the last revision. */
export async function seed(stack: LocalStack, profileName: string, statements: Seed[]): Promise<string> {
  let revisionId = await currentRevision(stack, profileName)
  for (const statement of statements) {
    const added = await stack.signer.send(
      new AddProfilePermissionCommand({ profileName, ...statement, revisionId })
    )
    revisionId = added.revisionId
  }
  if (!revisionId) throw new Error('no revisionId after seeding')
  return revisionId
}

/**
 * A fresh profile holding `statements`, and the revision they left; the call log is cleared afterwards, so
 * a test's calls are the action's own.
 */
export async function seededProfile(
  stack: LocalStack,
  statements: Seed[]
): Promise<{ profileName: string; revisionId: string }> {
  const profileName = await newProfile(stack)
  const revisionId = await seed(stack, profileName, statements)
  await stack.emulator.admin.clearCalls()
  return { profileName, revisionId }
}

/** Another writer adds `permission` right after the action's first listing: its revisionId goes stale. */
export async function changeAfterFirstRead(
  stack: LocalStack,
  profileName: string,
  permission: Seed
): Promise<void> {
  await stack.emulator.admin.injectFault({ type: 'changePolicy', profileName, count: 1, permission })
}

/** Every statement of the profile, all pages, straight from the emulator (not through the action). */
export async function statementsOf(stack: LocalStack, profileName: string): Promise<Permission[]> {
  if ((await currentRevision(stack, profileName)) === undefined) return []
  const all: Permission[] = []
  let nextToken: string | undefined
  do {
    const page = await stack.signer.send(new ListProfilePermissionsCommand({ profileName, nextToken }))
    all.push(...(page.permissions ?? []))
    nextToken = page.nextToken
  } while (nextToken)
  return all
}

/** Runs the bundled action in permissions mode against the stack. */
export function runPermissionsMode(
  stack: LocalStack,
  profileName: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): Promise<ActionRun> {
  return runAction({
    inputs: { mode: 'permissions', 'profile-name': profileName, ...inputs },
    env: { ...stack.env, ...env }
  })
}

/** The call log's permission operations: name, HTTP status and the input members that matter here. */
export async function permissionCalls(stack: LocalStack): Promise<CallRecord[]> {
  return (await stack.emulator.admin.calls()).filter(call => /ProfilePermission/.test(call.operation))
}

export function noticeLines(run: ActionRun): string[] {
  return run.stdout.split('\n').filter(line => line.startsWith('::notice'))
}

export function parsedPermissions(run: ActionRun): Permission[] {
  return JSON.parse(run.outputs.permissions) as Permission[]
}
