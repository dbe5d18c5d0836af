export function iso(time: Date | undefined): string {
  return time === undefined ? '' : time.toISOString()
}
