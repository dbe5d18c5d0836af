/** Signer ARNs: arn:aws:signer:REGION:ACCOUNT:/signing-profiles/NAME[/VERSION]. */
export const profileArn = (region: string, owner: string, name: string): string =>
  `arn:aws:signer:${region}:${owner}:/signing-profiles/${name}`

export const profileVersionArn = (region: string, owner: string, name: string, version: string): string =>
  `${profileArn(region, owner, name)}/${version}`

export interface ProfileArnParts {
  region: string
  owner: string
  profileName: string
  profileVersion?: string
}

/** Parses a signing profile ARN (with or without version); undefined when it is not one. */
export function parseProfileArn(arn: string): ProfileArnParts | undefined {
  const match =
    /^arn:aws[a-z-]*:signer:([a-z0-9-]+):(\d{12}):\/signing-profiles\/([a-zA-Z0-9_]{2,64})(?:\/([a-zA-Z0-9]{10}))?$/.exec(
      arn
    )
  if (!match) return undefined
  return {
    region: match[1],
    owner: match[2],
    profileName: match[3],
    ...(match[4] ? { profileVersion: match[4] } : {})
  }
}
