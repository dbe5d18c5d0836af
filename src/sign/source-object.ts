import * as path from 'node:path'
import * as core from '@actions/core'
import { HeadObjectCommand, HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3'
import { SignerClient } from '@aws-sdk/client-signer'
import { ObjectRef, SignConfig } from '../config'
import { PreflightError, errorMessage, httpStatusOf, responseHeadersOf } from '../errors'
import { PreflightResult, preflight } from './preflight'
import { Artifact, SourceObject } from './types'

export function objectUri(ref: Pick<ObjectRef, 'bucket' | 'key'>): string {
  return `s3://${ref.bucket}/${ref.key}`
}

/** The signed copy of a source-object lands in output-dir under the key's last segment. */
export function downloadName(artifact: Artifact): string {
  return artifact.object ? path.posix.basename(artifact.object.key) : artifact.relativePath
}

/**
 * The object's SHA-256 in hex when S3 stores one for the whole object. A multipart upload's SHA-256 is a
 * checksum of the parts' checksums (ChecksumType COMPOSITE, value ending in -N): not the content's hash.
 */
export function storedSha256(head: Pick<HeadObjectCommandOutput, 'ChecksumSHA256' | 'ChecksumType'>): string {
  const value = head.ChecksumSHA256
  if (!value || head.ChecksumType === 'COMPOSITE' || value.includes('-')) return ''
  const bytes = Buffer.from(value, 'base64')
  return bytes.length === 32 ? bytes.toString('hex') : ''
}

/** The artifact a HEAD of the object describes; its version is pinned here when the URI gave none. */
export function objectArtifact(ref: ObjectRef, head: HeadObjectCommandOutput): Artifact {
  const uri = objectUri(ref)
  const versionId = ref.versionId ?? head.VersionId
  return {
    path: uri,
    relativePath: uri,
    size: head.ContentLength ?? 0,
    sha256: storedSha256(head),
    object: { bucket: ref.bucket, key: ref.key, versionId: versionId ?? '', reused: true }
  }
}

/** What a failed HEAD means for this object, and how to fix it. */
export function headProblem(ref: ObjectRef, error: unknown): Error {
  const uri = objectUri(ref)
  const status = httpStatusOf(error)
  const headers = responseHeadersOf(error)
  const versions = `aws s3api list-object-versions --bucket ${ref.bucket} --prefix ${ref.key}`
  if (ref.versionId !== undefined && (status === 404 || status === 400 || status === 405)) {
    const what = status === 405 ? 'is a delete marker' : 'does not exist'
    return new PreflightError(
      `source-object ${uri}: version '${ref.versionId}' ${what}; list the versions with \`${versions}\``,
      { cause: error }
    )
  }
  if (status === 404) {
    const why =
      headers?.['x-amz-delete-marker'] === 'true'
        ? 'its current version is a delete marker; add ?versionId= with the version to sign'
        : `no such key in bucket '${ref.bucket}'; check the URI (\`aws s3 ls ${uri}\`)`
    return new PreflightError(`source-object ${uri} was not found: ${why}`, { cause: error })
  }
  if (status === 403) {
    return new PreflightError(
      `source-object ${uri} could not be read (access denied): the role needs s3:GetObject` +
        `${ref.versionId !== undefined ? ' and s3:GetObjectVersion' : ''} on it`,
      { cause: error }
    )
  }
  return new PreflightError(`Could not read source-object ${uri}: ${errorMessage(error)}`, { cause: error })
}

/**
 * HEAD of the object (with S3's checksum, when stored). A failure is returned, not thrown: preflight runs
 * first, because a bucket that does not exist or keeps no versions explains a failed HEAD better than the
 * HEAD's own 404 or 400.
 */
export async function headSourceObject(
  s3: S3Client,
  ref: ObjectRef,
  expectedBucketOwner?: string
): Promise<Artifact | Error> {
  try {
    const head = await s3.send(
      new HeadObjectCommand({
        Bucket: ref.bucket,
        Key: ref.key,
        VersionId: ref.versionId,
        ChecksumMode: 'ENABLED',
        ExpectedBucketOwner: expectedBucketOwner
      })
    )
    return objectArtifact(ref, head)
  } catch (error) {
    return headProblem(ref, error)
  }
}

/**
 * After preflight has passed (the bucket keeps versions), an object read without a version id is one stored
 * before versioning was enabled: its version is 'null', which Signer cannot be pinned to.
 */
export function pinnedSource(artifact: Artifact): SourceObject {
  const object = artifact.object
  if (!object) throw new Error(`${artifact.relativePath} is not an S3 object`)
  if (!object.versionId || object.versionId === 'null') {
    throw new PreflightError(
      `source-object ${artifact.relativePath} has no version id: it was stored before versioning was enabled ` +
        'on the bucket. Store it again (a new upload, or a copy onto itself) to give it a version, then sign that'
    )
  }
  return object
}

/**
 * source-object's steps 1 and 2: the object read (not its bytes), then the usual preflight (profile, bucket
 * versioning, size limit), whose problems are reported before the object's own.
 */
export async function resolveSourceObject(
  ref: ObjectRef,
  config: SignConfig,
  clients: { s3: S3Client; signer: SignerClient; region: string }
): Promise<{ artifacts: Artifact[]; preflight: PreflightResult }> {
  const looked = await headSourceObject(clients.s3, ref, config.expectedBucketOwner)
  core.info(
    `Signing ${objectUri(ref)} (${ref.versionId ? `version ${ref.versionId}` : 'its current version'}) with ` +
      `profile ${config.profileName}${config.profileOwner ? ` (owner ${config.profileOwner})` : ''}`
  )
  const artifacts = looked instanceof Error ? [] : [looked]
  const checked = await preflight({ ...config, region: clients.region }, artifacts, clients)
  if (looked instanceof Error) throw looked
  const pinned = pinnedSource(looked)
  if (!ref.versionId) core.info(`Pinned the current version of ${objectUri(ref)}: ${pinned.versionId}`)
  return { artifacts, preflight: checked }
}
