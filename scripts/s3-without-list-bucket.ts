/**
 * A loopback proxy in front of an S3 server (moto) that answers as S3 does to a caller without
 * s3:ListBucket on the bucket. From S3's HeadObject and GetObject pages: "If the object you request doesn't
 * exist, the error that Amazon S3 returns depends on whether you also have the s3:ListBucket permission ...
 * If you don't have the s3:ListBucket permission, Amazon S3 returns an HTTP status code 403 Forbidden error."
 * HeadBucket and ListObjects need s3:ListBucket themselves: 403, though HeadBucket still carries
 * x-amz-bucket-region ("calls to the HeadBucket operation always return the bucket's location through an
 * HTTP response header, whether access to the bucket is authorized or not", GetBucketLocation's page).
 * ListObjectVersions needs s3:ListBucketVersions, another permission, and passes. Bodies are streamed.
 */
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface S3Proxy {
  url: string
  close(): Promise<void>
}

export const ACCESS_DENIED =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>'

/** What a path-style request addresses: a bucket, or an object in it. */
function target(request: http.IncomingMessage): { bucket: boolean; object: boolean; query: URLSearchParams } {
  const url = new URL(request.url ?? '/', 'http://proxy')
  const [, bucket = '', ...key] = url.pathname.split('/')
  const object = key.join('/') !== ''
  return { bucket: bucket !== '' && !object, object, query: url.searchParams }
}

export async function startS3WithoutListBucket(upstream: string): Promise<S3Proxy> {
  return startS3Proxy(upstream, (request, response, forward) => {
    const { bucket, object, query } = target(request)
    const listsObjects =
      bucket && request.method === 'GET' && [...query.keys()].every(name => LIST_PARAMETERS.has(name))
    if (listsObjects) {
      response.writeHead(403, { 'content-type': 'application/xml' }).end(ACCESS_DENIED)
      request.resume()
      return
    }
    forward(upstreamResponse => {
      const status = upstreamResponse.statusCode ?? 502
      const headBucket = bucket && request.method === 'HEAD'
      const missingObject =
        object && status === 404 && (request.method === 'HEAD' || request.method === 'GET')
      if (!headBucket && !missingObject) return false
      upstreamResponse.resume()
      const region = upstreamResponse.headers['x-amz-bucket-region']
      const headers: http.OutgoingHttpHeaders = headBucket && region ? { 'x-amz-bucket-region': region } : {}
      // A HEAD answer has no body; a GET gets S3's AccessDenied document.
      if (request.method === 'HEAD') response.writeHead(403, headers).end()
      else response.writeHead(403, { ...headers, 'content-type': 'application/xml' }).end(ACCESS_DENIED)
      return true
    })
  })
}

/**
 * Passes the request on to S3; `answer` may answer in its place (true) after seeing S3's response, else
 * S3's response is streamed back as it is.
 */
export type Forward = (answer?: (upstreamResponse: http.IncomingMessage) => boolean) => void

/**
 * A loopback HTTP proxy in front of an S3 server: `handle` answers a request itself or forwards it. Tests
 * use it to make moto answer as S3 answers a caller without some permission.
 */
export async function startS3Proxy(
  upstream: string,
  handle: (request: http.IncomingMessage, response: http.ServerResponse, forward: Forward) => void
): Promise<S3Proxy> {
  const upstreamUrl = new URL(upstream)
  const server = http.createServer((request, response) => {
    handle(request, response, answer => {
      const forwarded = http.request(
        {
          host: upstreamUrl.hostname,
          port: upstreamUrl.port,
          method: request.method,
          path: request.url,
          headers: request.headers
        },
        upstreamResponse => {
          if (answer?.(upstreamResponse)) return
          response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers)
          upstreamResponse.pipe(response)
        }
      )
      forwarded.on('error', error => {
        if (!response.headersSent) response.writeHead(502)
        response.end(error.message)
      })
      request.pipe(forwarded)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
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

/** The query parameters of ListObjects and ListObjectsV2 (any other sub-resource is another operation). */
const LIST_PARAMETERS = new Set([
  'list-type',
  'prefix',
  'delimiter',
  'marker',
  'max-keys',
  'continuation-token',
  'start-after',
  'fetch-owner',
  'encoding-type',
  'x-id'
])
