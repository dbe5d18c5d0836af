import { RemoveProfilePermissionCommand, SignerClient } from '@aws-sdk/client-signer'

/** RemoveProfilePermission against the revision we read (required by the API); returns the new revisionId. */
export async function removeStatement(
  signer: SignerClient,
  profileName: string,
  statementId: string,
  revisionId: string | undefined
): Promise<string | undefined> {
  const output = await signer.send(
    new RemoveProfilePermissionCommand({ profileName, statementId, revisionId: revisionId ?? '' })
  )
  return output.revisionId
}
