/** ListSigningPlatforms and GetSigningPlatform. */
import { compact, Handler } from '../context'
import { notFound } from '../errors'
import { filterScope } from '../filters'
import { paginate } from '../pagination'
import { findPlatform, PLATFORMS } from '../platforms'
import { readMaxResults, readString } from '../validation'

export const listSigningPlatforms: Handler = (_call, input) => {
  const filter = {
    category: readString(input, 'category'),
    partner: readString(input, 'partner'),
    target: readString(input, 'target')
  }
  const maxResults = readMaxResults(input) ?? 25
  const nextToken = readString(input, 'nextToken')
  const matching = PLATFORMS.filter(
    platform =>
      (filter.category === undefined || platform.category === filter.category) &&
      (filter.partner === undefined || platform.partner === filter.partner) &&
      (filter.target === undefined || platform.target === filter.target)
  )
  const page = paginate(matching, platform => platform.platformId, {
    maxResults,
    nextToken,
    scope: filterScope('ListSigningPlatforms', filter)
  })
  return compact({ platforms: page.items, nextToken: page.nextToken })
}

export const getSigningPlatform: Handler = (_call, input) => {
  const platformId = readString(input, 'platformId', { required: true, min: 1 })
  const platform = findPlatform(platformId)
  if (!platform) throw notFound(`No signing platform with id ${platformId}.`)
  return { ...platform }
}
