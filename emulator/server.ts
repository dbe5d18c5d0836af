// Placeholder with the contract the local stack relies on; the emulator replaces it.
export interface EmulatorOptions {
  host?: string
  port?: number
  s3Endpoint: string
  region?: string
  accountId?: string
  jobDurationMs?: number
  stateFile?: string
}

export interface EmulatorHandle {
  url: string
  port: number
  close(): Promise<void>
}

export async function startEmulator(_options: EmulatorOptions): Promise<EmulatorHandle> {
  throw new Error('the emulator is not built yet')
}
