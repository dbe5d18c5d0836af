/**
 * A typed client for the emulator's admin API, for tests and scripts:
 *
 *   const admin = new EmulatorAdmin(stack.signerEndpoint)
 *   await admin.injectFault({ type: 'throttle', operation: 'StartSigningJob', count: 2 })
 *   const calls = await admin.calls('StartSigningJob')
 */
import type { CallRecord } from './call-log'
import type { EmulatorSettings } from './context'
import type { Fault, StoredFault } from './faults'

export type { CallRecord, EmulatorSettings, Fault, StoredFault }

export interface ProfileCertificate {
  profileName: string
  owner: string
  profileVersion: string
  encryptionAlgorithm: 'RSA' | 'ECDSA'
  hashAlgorithm: 'SHA1' | 'SHA256' | 'SHA384'
  certificatePem: string
  publicKeyPem: string
  fingerprint256: string
}

export interface Health {
  status: 'ok'
  url: string
  region: string
  accountId: string
}

export class EmulatorAdmin {
  private readonly base: string

  constructor(emulatorUrl: string) {
    this.base = `${emulatorUrl.replace(/\/+$/, '')}/__emulator`
  }

  health(): Promise<Health> {
    return this.request('GET', '/health')
  }

  settings(): Promise<EmulatorSettings> {
    return this.request('GET', '/config')
  }

  /** Changes job duration (for jobs started from now on), added latency, or access key → account mapping. */
  configure(settings: Partial<EmulatorSettings>): Promise<EmulatorSettings> {
    return this.request('POST', '/config', settings)
  }

  injectFault(fault: Fault): Promise<StoredFault> {
    return this.request('POST', '/faults', fault)
  }

  faults(): Promise<StoredFault[]> {
    return this.request('GET', '/faults')
  }

  async clearFaults(): Promise<void> {
    await this.request('DELETE', '/faults')
  }

  /** The API calls answered so far, oldest first; only `operation`'s when given. */
  calls(operation?: string): Promise<CallRecord[]> {
    return this.request('GET', `/calls${operation ? `?operation=${encodeURIComponent(operation)}` : ''}`)
  }

  async clearCalls(): Promise<void> {
    await this.request('DELETE', '/calls')
  }

  /** The profile's self-signed certificate (PEM) and public key; owner defaults to the emulator's account. */
  certificate(profileName: string, owner?: string): Promise<ProfileCertificate> {
    const query = new URLSearchParams({ profileName, ...(owner ? { owner } : {}) })
    return this.request('GET', `/certificate?${query.toString()}`)
  }

  /** Makes a Succeeded job's signature expire at `at` (now when absent). */
  expireSignature(jobId: string, at?: Date): Promise<{ jobId: string; signatureExpiresAt: string }> {
    return this.request('POST', '/expire-signature', { jobId, ...(at ? { at: at.getTime() } : {}) })
  }

  /** Forgets every profile, job, fault and call, and restores the settings the emulator started with. */
  async reset(): Promise<void> {
    await this.request('POST', '/reset')
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await response.text()
    const parsed: unknown = text ? JSON.parse(text) : undefined
    if (!response.ok) {
      const message = (parsed as { error?: string } | undefined)?.error ?? text
      throw new Error(`emulator admin ${method} ${path} failed (${response.status}): ${message}`)
    }
    return parsed as T
  }
}
