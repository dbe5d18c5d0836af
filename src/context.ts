import * as github from '@actions/github'

/** Who and what is running, from the runner's GITHUB_* variables. */
export interface RunContext {
  repository: string
  commit: string
  ref: string
  workflow: string
  runId: string
  runAttempt: string
  actor: string
  serverUrl: string
}

/**
 * Empty strings where a variable is missing, as when the action runs outside GitHub's runner (a local
 * try against the emulator): github.context.repo would throw there, so the repository is read directly.
 */
export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const { sha, ref, workflow, runId, actor, serverUrl } = github.context
  return {
    repository: env.GITHUB_REPOSITORY ?? '',
    commit: sha ?? '',
    ref: ref ?? '',
    workflow: workflow ?? '',
    runId: runId ? String(runId) : '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '',
    actor: actor ?? '',
    serverUrl: serverUrl ?? 'https://github.com'
  }
}
