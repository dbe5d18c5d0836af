import { ListProfilePermissionsCommand, SignerClient } from '@aws-sdk/client-signer'
import { Policy, Statement } from './types'

/**
 * A listing whose pages name different revisions was made while someone changed the policy: it is
 * started again, this many times at most, so the revisionId we write with matches what we read.
 */
const CONSISTENT_LISTING_ATTEMPTS = 3

/**
 * Every statement of the profile's policy, all pages (the SDK has no paginator for ListProfilePermissions,
 * and the API takes no maxResults: AWS picks the page size). A profile without statements has no policy, and
 * AWS answers its listing with ResourceNotFoundException (the Terraform AWS provider reads it so): that is an
 * empty policy without a revision here. The caller has made sure the profile exists (profile.ts).
 */
export async function readPolicy(signer: SignerClient, profileName: string): Promise<Policy> {
  for (let attempt = 1; ; attempt++) {
    const policy = await listOnce(signer, profileName)
    if (policy) return policy
    if (attempt >= CONSISTENT_LISTING_ATTEMPTS) {
      throw new Error(
        `The permissions of profile ${profileName} changed during each of ${attempt} listings: ` +
          'someone else is changing them now; run again once they are done.'
      )
    }
  }
}

/** One listing from the first page; undefined when the revision changed between its pages. */
async function listOnce(signer: SignerClient, profileName: string): Promise<Policy | undefined> {
  const statements: Statement[] = []
  const tokens = new Set<string>()
  let revisionId: string | undefined
  let nextToken: string | undefined
  let pages = 0
  do {
    const page = await listPage(signer, profileName, nextToken)
    // No policy: on the first page, none yet; on a later one, it went away while we read: read again.
    if (page === undefined) return pages === 0 ? { statements: [], pages: 0 } : undefined
    pages++
    if (pages === 1) revisionId = page.revisionId
    else if (page.revisionId !== revisionId) return undefined
    for (const permission of page.permissions ?? []) statements.push(toStatement(permission))
    nextToken = page.nextToken
    if (nextToken !== undefined && tokens.has(nextToken)) {
      throw new Error(`ListProfilePermissions of profile ${profileName} returned the same nextToken twice`)
    }
    if (nextToken !== undefined) tokens.add(nextToken)
  } while (nextToken)
  return { ...(revisionId === undefined ? {} : { revisionId }), statements, pages }
}

async function listPage(signer: SignerClient, profileName: string, nextToken: string | undefined) {
  try {
    return await signer.send(new ListProfilePermissionsCommand({ profileName, nextToken }))
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined
    throw error
  }
}

function toStatement(permission: {
  statementId?: string
  principal?: string
  action?: string
  profileVersion?: string
}): Statement {
  return {
    statementId: permission.statementId ?? '',
    principal: permission.principal ?? '',
    action: permission.action ?? '',
    ...(permission.profileVersion ? { profileVersion: permission.profileVersion } : {})
  }
}
