/** A minimal DER encoder: just the ASN.1 types an X.509 certificate needs. */

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

export function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content])
}

export const sequence = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts))
export const set = (...parts: Buffer[]): Buffer => tlv(0x31, Buffer.concat(parts))
export const nullValue = (): Buffer => Buffer.from([0x05, 0x00])
export const boolean = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0x00]))
export const octetString = (content: Buffer): Buffer => tlv(0x04, content)
export const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'))
export const printableString = (text: string): Buffer => tlv(0x13, Buffer.from(text, 'ascii'))
/** Explicit context-specific tag [n], constructed. */
export const explicit = (n: number, content: Buffer): Buffer => tlv(0xa0 | n, content)

/** A BIT STRING with no unused bits, or `unusedBits` for a flag set such as keyUsage. */
export function bitString(content: Buffer, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]))
}

/** A non-negative INTEGER from big-endian bytes or a small number. */
export function integer(value: Buffer | number): Buffer {
  let bytes = typeof value === 'number' ? numberBytes(value) : Buffer.from(value)
  while (bytes.length > 1 && bytes[0] === 0 && (bytes[1] & 0x80) === 0) bytes = bytes.subarray(1)
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes])
  return tlv(0x02, bytes)
}

function numberBytes(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`DER integer out of range: ${value}`)
  const bytes: number[] = []
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff)
  return Buffer.from(bytes.length ? bytes : [0])
}

export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number)
  if (arcs.length < 2 || arcs.some(arc => !Number.isSafeInteger(arc) || arc < 0))
    throw new Error(`bad OID ${dotted}`)
  const bytes = [arcs[0] * 40 + arcs[1]]
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f]
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128))
      chunk.unshift(0x80 | (rest & 0x7f))
    bytes.push(...chunk)
  }
  return tlv(0x06, Buffer.from(bytes))
}

/** UTCTime until 2049, GeneralizedTime from 2050, as RFC 5280 requires. */
export function time(date: Date): Buffer {
  const iso = date.toISOString() // YYYY-MM-DDTHH:mm:ss.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '') // YYYYMMDDHHmmss
  const year = date.getUTCFullYear()
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii'))
  return tlv(0x18, Buffer.from(`${digits}Z`, 'ascii'))
}
