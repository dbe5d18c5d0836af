/**
 * `npm run stack`: the local AWS stack (moto S3 + the Signer emulator) until Ctrl-C, for trying a workflow
 * or the AWS CLI offline. Prints the environment to point a process at it; with --github-env it also
 * appends that environment to $GITHUB_ENV, so later steps of a workflow (the action's self-test) use it.
 */
import * as fs from 'node:fs'
import { parseArgs } from 'node:util'
import { startStack } from './stack'

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      's3-port': { type: 'string' },
      'emulator-port': { type: 'string' },
      'job-duration-ms': { type: 'string' },
      'github-env': { type: 'boolean', default: false }
    }
  })
  const stack = await startStack({
    s3Port: values['s3-port'] ? Number(values['s3-port']) : undefined,
    emulatorPort: values['emulator-port'] ? Number(values['emulator-port']) : undefined,
    jobDurationMs: values['job-duration-ms'] ? Number(values['job-duration-ms']) : 1000
  })
  const env = { ...stack.env, LOCAL_BUCKET: stack.bucket, LOCAL_PROFILE_NAME: stack.profileName }
  const lines = Object.entries(env).map(([name, value]) => `${name}=${value}`)
  if (values['github-env']) {
    const file = process.env.GITHUB_ENV
    if (!file) throw new Error('--github-env needs GITHUB_ENV to be set (it is, in a GitHub Actions step)')
    fs.appendFileSync(file, lines.join('\n') + '\n')
  }
  console.log(`S3 (moto):        ${stack.s3Endpoint}`)
  console.log(`Signer emulator:  ${stack.signerEndpoint}`)
  console.log(`bucket ${stack.bucket} (versioned), profile ${stack.profileName} (${stack.profileVersion})`)
  console.log('\nEnvironment for a process that should use this stack:\n')
  for (const line of lines) console.log(`export ${line}`)
  console.log('\nCtrl-C (or kill, SIGTERM) stops both servers.')

  // `kill` (SIGTERM), Ctrl-C (SIGINT) and a closed terminal (SIGHUP) all stop both servers. npm runs this
  // script through `exec`, so the signal npm passes on reaches this process rather than a shell between.
  // Moto exits when this process does, whatever the cause (see startMoto).
  const stop = (): void => {
    setTimeout(() => process.exit(1), 5000).unref()
    void stack.stop().then(() => process.exit(0))
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stop)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
