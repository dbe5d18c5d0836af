import { InputError } from '../errors'
import { InputReader } from '../inputs'

export const MODES = ['sign', 'revoke', 'permissions', 'merge', 'verify'] as const
export type Mode = (typeof MODES)[number]

interface ModeInput {
  /** The modes that read the input; every other mode refuses it. */
  modes: readonly Mode[]
  /** action.yml's default, which the runner passes whether or not the workflow gives the input. */
  default?: string
}

const ALL = MODES
const SIGN = ['sign'] as const
const REVOKE = ['revoke'] as const
/** merge gathers the signed files of a matrix of sign jobs: it reads a few of sign's inputs. */
const SIGN_MERGE = ['sign', 'merge'] as const

/**
 * Every input of action.yml and the modes it applies to (a unit test keeps the two in step): a mode
 * refuses an input of another mode rather than ignore it, since `dry-run: true` in sign mode, quietly
 * ignored, would upload and start real signing jobs. A new mode adds itself to the inputs it reads.
 */
export const MODE_INPUTS: Record<string, ModeInput> = {
  mode: { modes: ALL, default: 'sign' },
  'aws-region': { modes: ALL },
  'show-summary': { modes: ALL, default: 'true' },
  'profile-name': { modes: ['sign', 'revoke', 'permissions'] },
  // sign
  path: { modes: SIGN_MERGE },
  'if-no-files-found': { modes: SIGN, default: 'error' },
  'source-object': { modes: SIGN },
  'profile-owner': { modes: SIGN },
  'source-bucket': { modes: SIGN },
  'source-prefix': { modes: SIGN, default: 'unsigned/' },
  'destination-bucket': { modes: SIGN },
  'destination-prefix': { modes: SIGN, default: 'signed/' },
  'output-dir': { modes: SIGN_MERGE, default: 'signed' },
  'timeout-seconds': { modes: SIGN, default: '600' },
  wait: { modes: SIGN, default: 'true' },
  download: { modes: SIGN, default: 'true' },
  'max-concurrency': { modes: SIGN, default: '4' },
  'expected-bucket-owner': { modes: SIGN },
  'release-upload': { modes: SIGN_MERGE, default: 'false' },
  'github-token': { modes: SIGN_MERGE, default: '${{ github.token }}' },
  // revoke
  reason: { modes: ['revoke', 'permissions'] },
  'job-ids': { modes: ['revoke', 'verify'] },
  'job-id': { modes: ['revoke', 'verify'] },
  'job-owner': { modes: REVOKE },
  'profile-version': { modes: ['revoke', 'permissions'] },
  'effective-time': { modes: REVOKE },
  'signed-after': { modes: REVOKE },
  'signed-before': { modes: REVOKE },
  commit: { modes: REVOKE },
  'run-id': { modes: REVOKE },
  repository: { modes: REVOKE },
  'records-bucket': { modes: REVOKE },
  'records-prefix': { modes: REVOKE, default: 'signed/provenance/' },
  'approved-job-ids': { modes: REVOKE },
  'require-approval': { modes: REVOKE, default: 'false' },
  'dry-run': { modes: ['revoke', 'permissions'], default: 'false' },
  // permissions
  operation: { modes: ['permissions'] },
  principal: { modes: ['permissions'] },
  'permission-action': { modes: ['permissions'] },
  'statement-id': { modes: ['permissions'] },
  // verify
  'trusted-profile': { modes: ['verify'] },
  manifest: { modes: ['verify'] },
  'lambda-function': { modes: ['verify'] }
}

function modeList(modes: readonly Mode[]): string {
  const names = modes.length === 1 ? modes[0] : `${modes.slice(0, -1).join(', ')} and ${modes.at(-1)}`
  return `${names} mode${modes.length === 1 ? '' : 's'}`
}

/**
 * Refuses the first input given that `mode` does not read. A value equal to action.yml's default reads
 * as not given: the runner passes every default to every step, and a default changes nothing.
 */
export function refuseOtherModesInputs(read: InputReader, mode: Mode): void {
  for (const [name, input] of Object.entries(MODE_INPUTS)) {
    // A default the runner expands (github-token's ${{ github.token }}) arrives as a value in every
    // mode: given and defaulted look the same, so the input cannot be refused.
    if (input.modes.includes(mode) || input.default?.startsWith('${{')) continue
    const value = read(name).trim()
    if (value === '' || value.toLowerCase() === input.default?.toLowerCase()) continue
    throw new InputError(
      name,
      `applies to ${modeList(input.modes)}, and this step runs in ${mode} mode, which would ignore it: ` +
        'remove it from this step, or set mode'
    )
  }
}
