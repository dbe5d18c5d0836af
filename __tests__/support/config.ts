import { ActionConfig, buildConfig } from '../../src/config'
import { InputError } from '../../src/errors'

/** The config tests' input reader: an absent input reads as '' as core.getInput gives it. */
export function reader(inputs: Record<string, string>): (name: string) => string {
  return name => inputs[name] ?? ''
}

/** buildConfig for one mode's inputs, narrowed to that mode's config (a test of another mode fails). */
export function configFor<M extends ActionConfig['mode']>(
  mode: M,
  inputs: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
  now?: Date
): Extract<ActionConfig, { mode: M }> {
  const config = buildConfig(reader({ mode, ...inputs }), env, now)
  if (config.mode !== mode) throw new Error(`expected ${mode} mode, got ${config.mode}`)
  return config as Extract<ActionConfig, { mode: M }>
}

/** The InputError `fn` throws; any other outcome fails the test. */
export function inputErrorOf(fn: () => unknown): InputError {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}
