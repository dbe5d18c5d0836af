/**
 * Who is calling: the access key in the SigV4 Authorization header picks an emulated identity (an account
 * and an IAM ARN). Unknown keys act as the emulator's default account. Signatures are not checked.
 */
export interface Identity {
  accountId: string
  /** What requestedBy / revokedBy show, e.g. arn:aws:iam::123456789012:user/emulator. */
  arn: string
}

export interface IdentityConfig {
  accountId: string
  /** Access key id → identity; `arn` defaults to arn:aws:iam::ACCOUNT:user/emulator. */
  identities: Record<string, { accountId: string; arn?: string }>
}

export function accessKeyOf(authorization: string | undefined): string | undefined {
  return authorization ? /Credential=([^/,\s]+)\//.exec(authorization)?.[1] : undefined
}

export function identityFor(config: IdentityConfig, authorization: string | undefined): Identity {
  const key = accessKeyOf(authorization)
  const known = key === undefined ? undefined : config.identities[key]
  const accountId = known?.accountId ?? config.accountId
  return { accountId, arn: known?.arn ?? defaultArn(accountId) }
}

export const defaultArn = (accountId: string): string => `arn:aws:iam::${accountId}:user/emulator`
