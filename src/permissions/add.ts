import { AddProfilePermissionCommand, SignerClient } from '@aws-sdk/client-signer'
import { Statement } from './types'

/**
 * AddProfilePermission against the revision we read; returns the new revisionId. Without a revision (the
 * profile has never had a permission) none is sent, as AWS asks for the first permission.
 */
export async function addStatement(
  signer: SignerClient,
  profileName: string,
  statement: Statement,
  revisionId: string | undefined
): Promise<string | undefined> {
  const output = await signer.send(
    new AddProfilePermissionCommand({
      profileName,
      statementId: statement.statementId,
      principal: statement.principal,
      action: statement.action,
      ...(statement.profileVersion ? { profileVersion: statement.profileVersion } : {}),
      ...(revisionId === undefined ? {} : { revisionId })
    })
  )
  return output.revisionId
}
