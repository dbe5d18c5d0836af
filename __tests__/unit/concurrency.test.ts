import { Slots, mapLimit } from '../../src/concurrency'

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

describe('Slots', () => {
  it('runs at most `size` tasks at once, first come first served, and frees a slot when a task throws', async () => {
    const slots = new Slots(2)
    let inFlight = 0
    let most = 0
    const startedOrder: number[] = []
    const task = (id: number, fail = false) =>
      slots.run(async () => {
        startedOrder.push(id)
        inFlight++
        most = Math.max(most, inFlight)
        await new Promise(resolve => setTimeout(resolve, 5))
        inFlight--
        if (fail) throw new Error(`task ${id} failed`)
        return id
      })
    const results = await Promise.allSettled([task(1, true), task(2), task(3), task(4, true), task(5)])
    expect(results.map(result => result.status)).toEqual([
      'rejected',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled'
    ])
    expect(startedOrder).toEqual([1, 2, 3, 4, 5])
    expect(most).toBe(2)
    // Every slot came back: two more tasks run at once.
    await Promise.all([task(6), task(7)])
    expect(most).toBe(2)
  })

  it('refuses a size that is not a positive integer', () => {
    expect(() => new Slots(0)).toThrow('size must be a positive integer, got 0')
  })
})
