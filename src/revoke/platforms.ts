import { GetSigningPlatformCommand, SignerClient } from '@aws-sdk/client-signer'
import { errorMessage } from '../errors'
import { PlatformState } from './types'

/**
 * GetSigningPlatform once per platform id, all at once: hundreds of jobs of a mass revocation share one or
 * two platforms, and whether a platform supports revocation does not change during a run. An error is
 * remembered per platform, not thrown.
 */
export async function readPlatforms(
  signer: SignerClient,
  platformIds: Iterable<string | undefined>
): Promise<Map<string, PlatformState>> {
  const unique = [...new Set([...platformIds].filter((id): id is string => id !== undefined))]
  const states = await Promise.all(unique.map(platformId => readPlatform(signer, platformId)))
  return new Map(states.map(state => [state.platformId, state]))
}

async function readPlatform(signer: SignerClient, platformId: string): Promise<PlatformState> {
  try {
    const platform = await signer.send(new GetSigningPlatformCommand({ platformId }))
    return {
      kind: 'found',
      platformId,
      displayName: platform.displayName,
      revocationSupported: platform.revocationSupported
    }
  } catch (error) {
    return { kind: 'error', platformId, error: errorMessage(error) }
  }
}
