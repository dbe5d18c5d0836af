import * as fs from 'node:fs'
import * as path from 'node:path'
import * as yaml from 'js-yaml'
import { MODES, MODE_INPUTS } from '../../src/config/mode-inputs'
import { configFor, inputErrorOf, reader } from '../support/config'
import { buildConfig } from '../../src/config'

const ROOT = path.join(__dirname, '../..')
const action = yaml.load(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>
}

describe('the mode-inputs table', () => {
  // A mode added later (with inputs of its own) must say here which inputs it reads, or this fails.
  it('names every input of action.yml, and nothing else', () => {
    expect(Object.keys(MODE_INPUTS).sort()).toEqual(Object.keys(action.inputs).sort())
  })

  it.each(Object.keys(action.inputs))("holds action.yml's default of %s", name => {
    expect(MODE_INPUTS[name].default).toEqual(action.inputs[name].default)
  })

  it('gives every input at least one mode, and only known modes', () => {
    for (const input of Object.values(MODE_INPUTS)) {
      expect(input.modes.length).toBeGreaterThan(0)
      for (const mode of input.modes) expect(MODES).toContain(mode)
    }
  })
})

describe('an input of another mode is refused, naming the modes it applies to', () => {
  const SIGN = { path: 'a.zip', 'profile-name': 'release_signing', 'source-bucket': 'artifacts' }
  const REVOKE = { reason: 'key leaked', 'job-ids': 'job-1' }
  const PERMISSIONS = { operation: 'list', 'profile-name': 'release_signing' }

  it.each([
    ['sign', { ...SIGN, 'dry-run': 'true' }, 'dry-run', 'applies to revoke and permissions modes'],
    ['sign', { ...SIGN, reason: 'why' }, 'reason', 'applies to revoke and permissions modes'],
    ['sign', { ...SIGN, 'job-ids': 'job-1' }, 'job-ids', 'applies to revoke and verify modes'],
    ['revoke', { ...REVOKE, path: 'a.zip' }, 'path', 'applies to sign and merge modes'],
    ['revoke', { ...REVOKE, wait: 'false' }, 'wait', 'applies to sign mode'],
    ['revoke', { ...REVOKE, operation: 'grant' }, 'operation', 'applies to permissions mode'],
    ['permissions', { ...PERMISSIONS, 'source-bucket': 'artifacts' }, 'source-bucket', 'applies to sign mode']
  ] as const)('%s mode refuses %j', (mode, inputs, input, message) => {
    const error = inputErrorOf(() => buildConfig(reader({ mode, ...inputs }), {}))
    expect(error.input).toBe(input)
    expect(error.message).toContain(message)
    expect(error.message).toContain(`this step runs in ${mode} mode`)
  })

  // The runner passes action.yml's defaults to every step: they must not be mistaken for given inputs.
  it("accepts every other mode's inputs at their action.yml defaults, as the runner passes them", () => {
    const defaults = Object.fromEntries(
      Object.entries(action.inputs).flatMap(([name, input]) =>
        input.default === undefined || name === 'mode' ? [] : [[name, input.default]]
      )
    )
    expect(configFor('sign', { ...defaults, ...SIGN }).mode).toBe('sign')
    expect(configFor('revoke', { ...defaults, ...REVOKE }).mode).toBe('revoke')
    expect(configFor('permissions', { ...defaults, ...PERMISSIONS }).mode).toBe('permissions')
  })

  it('accepts github-token in any mode: its default is the expanded job token, given or not', () => {
    expect(configFor('revoke', { ...REVOKE, 'github-token': 'ghs_job_token' }).mode).toBe('revoke')
  })
})

describe('job-ids, and its first name job-id', () => {
  it('reads job-ids, and job-id as before', () => {
    expect(configFor('revoke', { reason: 'r', 'job-ids': 'a-1, b-2' }).jobIds).toEqual(['a-1', 'b-2'])
    expect(configFor('revoke', { reason: 'r', 'job-id': 'a-1\nb-2' }).jobIds).toEqual(['a-1', 'b-2'])
  })

  it('refuses both at once, and names the input a bad id came from', () => {
    const both = inputErrorOf(() => configFor('revoke', { reason: 'r', 'job-ids': 'a', 'job-id': 'b' }))
    expect(both.message).toMatch(/'job-id'.*both given/)
    expect(inputErrorOf(() => configFor('revoke', { reason: 'r', 'job-ids': 'a b' })).input).toBe('job-ids')
    expect(inputErrorOf(() => configFor('revoke', { reason: 'r', 'job-id': 'a b' })).input).toBe('job-id')
  })
})

describe('if-no-files-found', () => {
  const SIGN = { path: 'a.zip', 'profile-name': 'release_signing', 'source-bucket': 'artifacts' }
  it('defaults to error and takes warn or ignore', () => {
    expect(configFor('sign', SIGN).ifNoFilesFound).toBe('error')
    expect(configFor('sign', { ...SIGN, 'if-no-files-found': 'Warn' }).ifNoFilesFound).toBe('warn')
    expect(configFor('sign', { ...SIGN, 'if-no-files-found': 'ignore' }).ifNoFilesFound).toBe('ignore')
    expect(inputErrorOf(() => configFor('sign', { ...SIGN, 'if-no-files-found': 'fail' })).message).toBe(
      "Input 'if-no-files-found': expected error, warn, ignore, got 'fail'"
    )
  })
})

describe('profile-name given as an ARN', () => {
  it('says to use the name, and names the owner account for a shared profile', () => {
    const error = inputErrorOf(() =>
      configFor('permissions', {
        operation: 'list',
        'profile-name': 'arn:aws:signer:us-east-1:111122223333:/signing-profiles/release_signing/Abc123XyZ0'
      })
    )
    expect(error.message).toBe(
      "Input 'profile-name': use the profile's name, not its ARN: profile-name: release_signing " +
        "(and profile-owner: '111122223333' when account 111122223333 shares it with this one)"
    )
  })
})
