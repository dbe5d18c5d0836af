import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { LocalStack } from '../../scripts/stack'

/**
 * A loopback proxy in front of the stack's S3 that answers 403 AccessDenied to a GET or HEAD of the keys
 * `denied` picks, as S3 answers a role without s3:GetObject there; everything else passes through.
 */
export async function startS3Denying(
  upstream: string,
  denied: (key: string) => boolean
): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(upstream)
  const server = http.createServer((request, response) => {
    const key = decodeURIComponent(new URL(request.url ?? '/', 'http://proxy').pathname)
    if ((request.method === 'GET' || request.method === 'HEAD') && denied(key)) {
      request.resume()
      response
        .writeHead(403, { 'content-type': 'application/xml' })
        .end(
          request.method === 'HEAD'
            ? undefined
            : '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>'
        )
      return
    }
    const forwarded = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: request.headers
      },
      answer => {
        response.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(response)
      }
    )
    forwarded.on('error', error => response.writeHead(502).end(error.message))
    request.pipe(forwarded)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** Writes a record as someone holding the sign role can: a new key, with If-None-Match: *. */
export async function plantRecord(stack: LocalStack, key: string, record: unknown): Promise<void> {
  await stack.s3.send(
    new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: JSON.stringify(record), IfNoneMatch: '*' })
  )
}
