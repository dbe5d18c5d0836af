/** Maps with at most `limit` calls in flight, keeping the input order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index])
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return results
}

/**
 * Runs each key's work once and shares the promise: two artifacts with the same bytes and name share one
 * source object and one job instead of racing to create two.
 */
export class OnceMap<K, V> {
  private readonly promises = new Map<K, Promise<V>>()

  get(key: K, work: () => Promise<V>): Promise<V> {
    let promise = this.promises.get(key)
    if (!promise) {
      promise = work()
      this.promises.set(key, promise)
    }
    return promise
  }
}
