import {
  AccessDeniedException,
  RevokeSignatureCommand,
  SignerClient,
  TooManyRequestsException
} from '@aws-sdk/client-signer'
import { mockClient } from 'aws-sdk-client-mock'
import { pauseMs, untilNotThrottled } from '../../src/revoke/patience'
import { revokeJobs } from '../../src/revoke/revoke'
import { JobPlan } from '../../src/revoke/types'

const throttled = () => new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} })

describe('untilNotThrottled', () => {
  it('tries again after each throttle, pausing longer each time, until the call answers', async () => {
    const pauses: number[] = []
    const lines: string[] = []
    let calls = 0
    const answer = await untilNotThrottled(
      'RevokeSignature of job j1',
      async () => {
        calls++
        if (calls <= 6) throw throttled()
        return 'done'
      },
      { sleep: async ms => void pauses.push(ms), random: () => 1, info: line => lines.push(line) }
    )
    expect(answer).toBe('done')
    expect(calls).toBe(7)
    expect(pauses).toEqual([1000, 2000, 4000, 8000, 16000, 20000])
    expect(lines[0]).toBe(
      "RevokeSignature of job j1: Signer is still throttling after the SDK's retries; trying again in 1.0 s"
    )
  })

  it('throws any other error at once', async () => {
    const denied = new AccessDeniedException({ message: 'no', $metadata: {} })
    const sleep = jest.fn(async () => undefined)
    await expect(untilNotThrottled('x', () => Promise.reject(denied), { sleep })).rejects.toBe(denied)
    expect(sleep).not.toHaveBeenCalled()
  })

  it('stops waiting once the run is cancelled, with the last throttle', async () => {
    const cancel = new AbortController()
    const error = throttled()
    const result = untilNotThrottled('x', () => Promise.reject(error), {
      signal: cancel.signal,
      sleep: async () => cancel.abort('SIGTERM')
    })
    await expect(result).rejects.toBe(error)
  })

  it('jitters each pause to between half and all of its doubling step', () => {
    expect(pauseMs(1, () => 0)).toBe(500)
    expect(pauseMs(3, () => 0.5)).toBe(3000)
    expect(pauseMs(10, () => 1)).toBe(20000)
  })
})

describe('revokeJobs', () => {
  const plan = (jobId: string, action: JobPlan['action'] = 'revoke'): JobPlan => ({
    target: { jobId, source: 'job-id' },
    state: { kind: 'found', status: 'Succeeded' },
    action,
    ...(action === 'skip' ? { detail: 'already revoked' } : {})
  })

  it('never fails a revocation on throttling alone', async () => {
    const signer = mockClient(SignerClient)
    signer.on(RevokeSignatureCommand).rejectsOnce(throttled()).rejectsOnce(throttled()).resolves({})
    const results = await revokeJobs(signer as unknown as SignerClient, [plan('j1'), plan('j2')], 'INC-1', {
      concurrency: 1,
      sleep: async () => undefined
    })
    expect(results.map(result => result.outcome)).toEqual(['revoked', 'revoked'])
    expect(signer).toHaveReceivedCommandTimes(RevokeSignatureCommand, 4)
  })

  it('after a cancellation starts no call: the jobs not reached stay planned, the skipped stay skipped', async () => {
    const signer = mockClient(SignerClient)
    const cancel = new AbortController()
    signer.on(RevokeSignatureCommand).callsFake(async () => {
      cancel.abort('SIGTERM')
      return {}
    })
    const results = await revokeJobs(
      signer as unknown as SignerClient,
      [plan('j1'), plan('j2', 'skip'), plan('j3')],
      'INC-1',
      { concurrency: 1, signal: cancel.signal }
    )
    expect(results.map(result => [result.jobId, result.outcome, result.detail])).toEqual([
      ['j1', 'revoked', undefined],
      ['j2', 'already-revoked', 'already revoked'],
      ['j3', 'planned', 'not revoked: the run was cancelled (SIGTERM) first']
    ])
    expect(signer).toHaveReceivedCommandTimes(RevokeSignatureCommand, 1)
  })
})
