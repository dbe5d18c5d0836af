import { mapLimit } from '../../src/concurrency'

describe('mapLimit', () => {
  it('keeps the input order and never has more than the limit in flight', async () => {
    let inFlight = 0
    let most = 0
    const items = Array.from({ length: 50 }, (_, i) => i)
    const results = await mapLimit(items, 4, async item => {
      inFlight++
      most = Math.max(most, inFlight)
      // Later items finish first: the order of the result must still follow the input.
      await new Promise(resolve => setTimeout(resolve, (50 - item) % 7))
      inFlight--
      return item * 2
    })
    expect(results).toEqual(items.map(i => i * 2))
    expect(most).toBe(4)
  })

  it('handles fewer items than the limit, and no items', async () => {
    expect(await mapLimit([1, 2], 8, async x => x + 1)).toEqual([2, 3])
    expect(await mapLimit([], 8, async x => x)).toEqual([])
  })

  it('rejects a limit that is not a positive integer', async () => {
    await expect(mapLimit([1], 0, async x => x)).rejects.toThrow(/positive integer, got 0/)
    await expect(mapLimit([1], 1.5, async x => x)).rejects.toThrow(RangeError)
  })
})
