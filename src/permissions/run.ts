import * as core from '@actions/core'
import { AwsClients } from '../aws'
import { PermissionsConfig } from '../config'
import { RunContext } from '../context'
import { setOutputs } from '../report/outputs'
import { writePermissionsSummary } from '../report/permissions-summary'
import { PreflightError } from '../errors'
import { ApplyDeps, applyWithRetry, assertNoClash } from './apply'
import { readPolicy } from './list'
import { describeStatement, planChange, planLines } from './plan'
import { grantRefusal } from './platforms'
import { readProfile } from './profile'
import { ChangePlan, ChangeResult, PermissionsRecord, Policy } from './types'

export interface PermissionsDeps extends ApplyDeps {
  now?: () => Date
}

/**
 * Permissions mode: read the profile (it exists; its platform) and the whole policy, plan the grant or
 * removal against them, print the plan, then write it with the revisionId just read (or, in a dry run, stop
 * there). A grant AWS would refuse on the profile's platform fails before any write, dry run included. A
 * conflicting change by someone else between the read and the write is met by reading and planning again
 * (see apply.ts).
 */
export async function runPermissions(
  config: PermissionsConfig,
  clients: AwsClients,
  context: RunContext,
  deps: PermissionsDeps = {}
): Promise<PermissionsRecord> {
  const startedAt = (deps.now ?? (() => new Date()))()
  const { signer } = clients
  const { profileName, request } = config

  const before = await core.group(`Permissions of signing profile ${profileName}`, async () => {
    const profile = await readProfile(signer, profileName, clients.region)
    core.info(`Platform ${profile.platformId}, status ${profile.status ?? 'unknown'}`)
    if (request.operation === 'grant') {
      const refusal = grantRefusal(profileName, profile.platformId, request.statement.action)
      if (refusal) throw new PreflightError(refusal)
    }
    const policy = await readPolicy(signer, profileName)
    logPolicy(policy)
    return policy
  })

  let result: ChangeResult | undefined
  if (request.operation !== 'list') {
    const note = 'principalNote' in request ? request.principalNote : undefined
    if (note) core.notice(`Profile ${profileName}: ${note}`)
    const plan = planChange(request, before)
    assertNoClash(profileName, plan)
    logPlan(profileName, plan, config.dryRun, config.dryRun ? 'Plan (dry run: no write)' : 'Plan')
    if (config.dryRun) {
      result = { plan, written: [], after: before, changed: false, attempts: 1 }
    } else {
      result = await applyWithRetry(signer, profileName, request, before, deps)
      // After a conflict the request was planned again against a newer revision: show what was done.
      if (result.attempts > 1) logPlan(profileName, result.plan, false, 'Plan after re-reading the policy')
      if (result.changed) {
        core.info(
          `Profile ${profileName}: permissions changed, revision ${result.after.revisionId ?? '(none)'}`
        )
      }
    }
    for (const notice of result.plan.notices) core.notice(`Profile ${profileName}: ${notice}`)
    for (const warning of result.plan.warnings ?? []) core.warning(`Profile ${profileName}: ${warning}`)
  }

  const after = result?.after ?? before
  setOutputs({
    permissions: JSON.stringify(after.statements),
    'revision-id': after.revisionId ?? '',
    changed: String(result?.changed ?? false)
  })

  const record: PermissionsRecord = {
    operation: request.operation,
    profileName,
    ...(config.reason === undefined ? {} : { reason: config.reason }),
    dryRun: config.dryRun,
    actor: context.actor,
    startedAt: startedAt.toISOString(),
    repository: context.repository,
    runUrl:
      context.repository && context.runId
        ? `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`
        : undefined,
    before,
    result
  }
  if (config.showSummary) await writePermissionsSummary(record)
  return record
}

function logPolicy(policy: Policy): void {
  if (policy.revisionId === undefined && policy.statements.length === 0) {
    core.info(
      'No statements: the profile has no permissions policy (ListProfilePermissions: ResourceNotFoundException)'
    )
    return
  }
  core.info(
    `${policy.statements.length} statement(s) in ${policy.pages} page(s), revision ${policy.revisionId ?? '(none)'}`
  )
  for (const statement of policy.statements) core.info(`  ${describeStatement(statement)}`)
}

function logPlan(profileName: string, plan: ChangePlan, dryRun: boolean, title: string): void {
  core.startGroup(title)
  for (const line of planLines(profileName, plan, dryRun)) core.info(line)
  core.endGroup()
}
