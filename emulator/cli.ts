/**
 * Runs the emulator by hand:
 *   npm run emulator -- --port 4566 --s3-endpoint http://127.0.0.1:5000 [--state .emulator-state.json]
 * Prints the URL once it listens; SIGINT or SIGTERM closes it cleanly (state saved, jobs in flight finished).
 */
import { parseCliArgs, USAGE } from './cli-args'
import { startEmulator } from './server'

async function main(): Promise<void> {
  let command
  try {
    command = parseCliArgs(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`emulator: ${(error as Error).message}\n\n${USAGE}\n`)
    process.exitCode = 2
    return
  }
  if (command.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const emulator = await startEmulator({ ...command.options, log: line => process.stderr.write(`${line}\n`) })
  process.stdout.write(`AWS Signer emulator listening on ${emulator.url}\n`)
  process.stdout.write(`admin API: ${emulator.url}/__emulator/health\n`)
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    process.stdout.write(`${signal}: stopping the emulator\n`)
    emulator.close().then(
      () => process.exit(0),
      error => {
        process.stderr.write(`emulator: ${(error as Error).message}\n`)
        process.exit(1)
      }
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch(error => {
  process.stderr.write(`emulator: ${(error as Error).message}\n`)
  process.exit(1)
})
