import * as core from '@actions/core'
import { createAwsClients } from './aws'
import { buildConfig } from './config'
import { readRunContext } from './context'
import { InputError, PartialFailureError, errorMessage } from './errors'
import { failureMessage } from './failure'
import { runMerge } from './merge/run'
import { runPermissions } from './permissions/run'
import { runRevoke } from './revoke/run'
import { runSign } from './sign/run'
import { runVerify } from './verify/run'

/** Reads the inputs into a typed config, dispatches on the mode, and is the one place that fails the step. */
export async function main(): Promise<void> {
  try {
    const config = buildConfig(name => core.getInput(name), process.env)
    if ((config.mode === 'sign' || config.mode === 'merge') && config.release)
      core.setSecret(config.release.token)
    const context = readRunContext()
    // merge reads files only: no Region or credentials needed.
    if (config.mode === 'merge') return await runMerge(config, context)
    const clients = createAwsClients(config.region)
    if (config.mode === 'sign') {
      await runSign(config, clients, context)
    } else if (config.mode === 'revoke') {
      await runRevoke(config, clients, context)
    } else if (config.mode === 'permissions') {
      await runPermissions(config, clients, context)
    } else {
      await runVerify(config, clients)
    }
  } catch (error) {
    fail(error)
  }
}

function fail(error: unknown): void {
  if (error instanceof Error && !(error instanceof InputError) && !(error instanceof PartialFailureError)) {
    // The stack and cause help a maintainer; the annotation says what failed and how to fix it, no stack.
    core.debug(error.stack ?? '')
    if (error.cause) core.debug(`cause: ${errorMessage(error.cause)}`)
  }
  core.setFailed(failureMessage(error))
}
