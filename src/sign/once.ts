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
