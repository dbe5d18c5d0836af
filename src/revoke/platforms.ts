import { GetSigningPlatformCommand, SignerClient } from '@aws-sdk/client-signer'
import { errorMessage } from '../errors'
import { JobState, PlatformState, ProfileState } from './types'

/** The platform of a job or profile that was read; undefined when it was not read or names no platform. */
export type PlatformLookup = (state: JobState | ProfileState | undefined) => PlatformState | undefined

function platformIdOf(state: JobState | ProfileState | undefined): string | undefined {
  return state?.kind === 'found' ? state.platformId : undefined
}

/**
 * GetSigningPlatform once per platform id, all at once: hundreds of jobs of a mass revocation share one or
 * two platforms, and whether a platform supports revocation does not change during a run. An error is
 * remembered per platform, not thrown.
 */
export async function readPlatforms(
  signer: SignerClient,
  states: readonly (JobState | ProfileState | undefined)[]
): Promise<PlatformLookup> {
  const platformIds = new Set(states.map(platformIdOf).filter((id): id is string => id !== undefined))
  const read = await Promise.all([...platformIds].map(platformId => readPlatform(signer, platformId)))
  const byId = new Map(read.map(platform => [platform.platformId, platform]))
  return state => {
    const platformId = platformIdOf(state)
    return platformId === undefined ? undefined : byId.get(platformId)
  }
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
