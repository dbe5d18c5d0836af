import { PutObjectCommand } from '@aws-sdk/client-s3'
import { ACCESS_DENIED, S3Proxy, startS3Proxy } from '../../scripts/s3-without-list-bucket'
import { LocalStack } from '../../scripts/stack'

/**
 * A loopback proxy in front of the stack's S3 that answers 403 AccessDenied to a GET or HEAD of the keys
 * `denied` picks, as S3 answers a role without s3:GetObject there; everything else passes through.
 */
export function startS3Denying(upstream: string, denied: (key: string) => boolean): Promise<S3Proxy> {
  return startS3Proxy(upstream, (request, response, forward) => {
    const key = decodeURIComponent(new URL(request.url ?? '/', 'http://proxy').pathname)
    if ((request.method === 'GET' || request.method === 'HEAD') && denied(key)) {
      request.resume()
      response
        .writeHead(403, { 'content-type': 'application/xml' })
        .end(request.method === 'HEAD' ? undefined : ACCESS_DENIED)
      return
    }
    forward()
  })
}

/** Writes a record as someone holding the sign role can: a new key, with If-None-Match: *. */
export async function plantRecord(stack: LocalStack, key: string, record: unknown): Promise<void> {
  await stack.s3.send(
    new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: JSON.stringify(record), IfNoneMatch: '*' })
  )
}
