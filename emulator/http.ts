/** Reading requests and writing JSON responses and AWS-style errors. */
import * as crypto from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { SignerError } from './errors'

const BODY_LIMIT = 1024 * 1024

export function readBody(request: IncomingMessage, limit = BODY_LIMIT): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        reject(new SignerError('ValidationException', `The request body is larger than ${limit} bytes.`))
        request.resume()
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => resolve(Buffer.concat(chunks)))
    request.on('error', reject)
  })
}

/** A JSON object body; an empty body is `{}`. Anything else is a SerializationException. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8').trim()
  if (text === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new SignerError(
      'SerializationException',
      `The request body is not valid JSON: ${(error as Error).message}`
    )
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new SignerError('SerializationException', 'The request body must be a JSON object.')
  return parsed as Record<string, unknown>
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const payload = Buffer.from(JSON.stringify(body))
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(payload.length),
    'x-amzn-RequestId': crypto.randomUUID(),
    ...headers
  })
  response.end(payload)
}

/** An error as AWS sends it: status, x-amzn-ErrorType and a JSON message. */
export function sendError(response: ServerResponse, error: SignerError): void {
  sendJson(response, error.status, { message: error.message }, { 'x-amzn-ErrorType': error.errorType })
}
