/** Every Signer API call the emulator answered, in order, for tests to assert on. */
export interface CallRecord {
  /** The Signer operation, e.g. StartSigningJob; `Unknown` for a request no route matched. */
  operation: string
  /** The parsed input: path labels, query members and body members, under the API's member names. */
  input: Record<string, unknown>
  status: number
  /** The error name sent in x-amzn-ErrorType, when the call failed. */
  errorType?: string
  /** The caller's account, from the request's access key. */
  accountId?: string
  /** ISO-8601 time the request arrived. */
  time: string
  durationMs: number
}

const LIMIT = 10000

export class CallLog {
  private records: CallRecord[] = []

  record(call: CallRecord): void {
    this.records.push(call)
    if (this.records.length > LIMIT) this.records.splice(0, this.records.length - LIMIT)
  }

  list(operation?: string): CallRecord[] {
    return this.records.filter(call => operation === undefined || call.operation === operation)
  }

  clear(): void {
    this.records = []
  }
}
