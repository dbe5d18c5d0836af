/**
 * Maps items through an async function with at most `limit` calls in flight, keeping the input order in
 * the result. The function is expected to settle every item itself: one rejection rejects the whole map.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer, got ${limit}`)
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index], index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/**
 * A fixed number of slots shared by several stages: `run` waits for a free slot (first come, first
 * served), runs the task and frees the slot, even when the task throws.
 */
export class Slots {
  private free: number
  private readonly waiting: (() => void)[] = []

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`size must be a positive integer, got ${size}`)
    this.free = size
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--
    else await new Promise<void>(resolve => this.waiting.push(resolve))
    try {
      return await task()
    } finally {
      // Hand the slot straight to the next in line, or give it back.
      const next = this.waiting.shift()
      if (next) next()
      else this.free++
    }
  }
}
