import { AddProfilePermissionCommand, SignerClient } from '@aws-sdk/client-signer'
import { Statement } from './types'

/**
 * AddProfilePermission against the revision we read; returns the new revisionId. Without a revision (the
 * profile has no policy: no statement yet, or its last one was removed) the revisionId is '', as the
 * Terraform AWS provider sends it for a profile whose listing answered ResourceNotFoundException.
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
      revisionId: revisionId ?? ''
    })
  )
  return output.revisionId
}
