import { InputError } from '../errors'
import { InputReader, booleanInput, optionalString } from '../inputs'
import { buildMergeConfig } from './merge'
import { MODES, Mode, refuseOtherModesInputs } from './mode-inputs'
import { buildPermissionsConfig } from './permissions'
import { buildRevokeConfig } from './revoke'
import { buildSignConfig } from './sign'
import { buildVerifyConfig } from './verify'
import { ActionConfig, CommonConfig } from './types'

export * from './types'
export { parseSourceObject } from './sign'
export { PROFILE_NAME, PROFILE_VERSION, REASON_MAX_LENGTH } from './shared'

/** Turns the action's inputs into a typed config, or throws an InputError naming the first bad input. */
export function buildConfig(read: InputReader, env: NodeJS.ProcessEnv, now: Date = new Date()): ActionConfig {
  const mode = (optionalString(read, 'mode') ?? 'sign').toLowerCase()
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new InputError(
      'mode',
      `expected 'sign', 'revoke', 'permissions', 'merge' or 'verify', got '${read('mode').trim()}'`
    )
  }
  refuseOtherModesInputs(read, mode as Mode)
  const common: CommonConfig = {
    region: optionalString(read, 'aws-region'),
    showSummary: booleanInput(read, 'show-summary', true)
  }
  if (mode === 'sign') return { ...common, ...buildSignConfig(read, env) }
  if (mode === 'revoke') return { ...common, ...buildRevokeConfig(read, now) }
  if (mode === 'permissions') return { ...common, ...buildPermissionsConfig(read) }
  if (mode === 'merge') return { ...common, ...buildMergeConfig(read, env) }
  return { ...common, ...buildVerifyConfig(read, env) }
}
