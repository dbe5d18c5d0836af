/**
 * npm run demo: signs a sample artifact end to end with the bundled action against the local stack (moto's S3
 * server + the Signer emulator), prints the outputs and the job summary, and checks the signed file landed.
 * ACTION_BUNDLE picks another bundle than dist/index.js. Exits non-zero on any failure.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { GetObjectCommand } from '@aws-sdk/client-s3'
import { DescribeSigningJobCommand } from '@aws-sdk/client-signer'
import { makeWorkspace, runAction } from './run-action'
import { startStack } from './stack'
import { zipArchive } from './zip'

/**
 * A Lambda deployment package: a real zip, as AWS Signer's Lambda platform signs zips only (it fails an
 * empty or malformed one).
 */
export function demoFunctionZip(): Buffer {
  return zipArchive({
    'index.mjs': "export const handler = async () => ({ statusCode: 200, body: 'signed with AWS Signer' })\n"
  })
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`demo check failed: ${message}`)
}

/** The job summary is HTML; the terminal gets it as aligned text. */
function summaryAsText(html: string): string {
  return html
    .replace(/<\/(th|td)>/g, ' | ')
    .replace(/<\/tr>/g, '\n')
    .replace(/<br>/g, ' ')
    .replace(/<h2>(.*?)<\/h2>/g, '## $1\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .trim()
}

async function main(): Promise<void> {
  console.log('Starting the local stack (moto S3 + AWS Signer emulator)...')
  const stack = await startStack({ jobDurationMs: 500 })
  const workspace = makeWorkspace({ 'build/function.zip': demoFunctionZip() })
  // Ctrl-C or kill mid-run still removes the workspace from the temp folder and stops the servers.
  const cleanUp = async (): Promise<void> => {
    fs.rmSync(workspace, { recursive: true, force: true })
    await stack.stop()
  }
  const stopped = (signal: NodeJS.Signals): void => {
    void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
  }
  process.once('SIGINT', stopped)
  process.once('SIGTERM', stopped)
  try {
    console.log(`  S3 ${stack.s3Endpoint}, Signer ${stack.signerEndpoint}, bucket ${stack.bucket}`)
    console.log(`  profile ${stack.profileName} (version ${stack.profileVersion}), workspace ${workspace}\n`)

    const started = Date.now()
    const run = await runAction({
      workspace,
      env: stack.env,
      inputs: {
        path: 'build/*.zip',
        'profile-name': stack.profileName,
        'source-bucket': stack.bucket,
        'timeout-seconds': '60'
      }
    })
    const seconds = ((Date.now() - started) / 1000).toFixed(1)

    console.log(`--- action log (exit ${run.exitCode}, ${seconds} s) ---`)
    // ::debug:: lines are hidden on a runner unless step debugging is on; hide them here too.
    console.log(
      run.stdout
        .split('\n')
        .filter(line => !line.startsWith('::debug::'))
        .join('\n')
        .trim()
    )
    if (run.stderr.trim()) console.log(run.stderr.trim())
    console.log('\n--- outputs ---')
    for (const [name, value] of Object.entries(run.outputs)) {
      console.log(
        `${name.padEnd(22)} ${name === 'jobs' ? JSON.stringify(JSON.parse(value), null, 2) : value}`
      )
    }
    console.log('\n--- job summary ---')
    console.log(summaryAsText(run.summary))

    check(run.exitCode === 0, `the action exited with ${run.exitCode}`)
    check(run.outputs.status === 'Succeeded', `status is '${run.outputs.status}'`)
    const signedPath = run.outputs['signed-path']
    check(signedPath && fs.existsSync(signedPath), `the signed file ${signedPath} does not exist`)
    check(
      path.relative(workspace, signedPath) === path.join('signed', 'build', 'function.zip'),
      'signed path'
    )

    // The downloaded file is the object Signer wrote, and the job is the one the outputs name.
    const job = await stack.signer.send(new DescribeSigningJobCommand({ jobId: run.outputs['job-id'] }))
    check(job.status === 'Succeeded', `the emulator says the job is ${job.status}`)
    const object = await stack.s3.send(
      new GetObjectCommand({ Bucket: run.outputs['signed-bucket'], Key: run.outputs['signed-key'] })
    )
    const signedBytes = Buffer.from((await object.Body?.transformToByteArray()) ?? [])
    check(
      signedBytes.equals(fs.readFileSync(signedPath)),
      'the downloaded file differs from the signed object'
    )
    console.log(
      `\nDemo passed: ${path.relative(workspace, signedPath)} (${signedBytes.length} bytes) signed by job ${job.jobId}`
    )
  } finally {
    process.removeListener('SIGINT', stopped)
    process.removeListener('SIGTERM', stopped)
    await cleanUp()
  }
}

// Imported by a test for demoFunctionZip: run only as a script.
if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  })
