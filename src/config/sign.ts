import * as path from 'node:path'
import { InputError } from '../errors'
import { InputReader, accountIdInput, booleanInput, integerInput, listInput, optionalString } from '../inputs'
import { relativeInside } from '../paths'
import { hasUnsafeCharacter, logSafe } from '../report/log-text'
import { releaseTag } from '../release/plan'
import { BUCKET_NAME, DEFAULT_DESTINATION_PREFIX, bucketInput, prefixInput, profileNameInput } from './shared'
import { CommonConfig, NO_FILES_FOUND, NoFilesFound, ObjectRef, SignConfig } from './types'

/** if-no-files-found, as actions/upload-artifact spells it. */
function noFilesFoundInput(read: InputReader): NoFilesFound {
  const raw = optionalString(read, 'if-no-files-found') ?? 'error'
  const value = NO_FILES_FOUND.find(choice => choice === raw.toLowerCase())
  if (value === undefined) {
    throw new InputError('if-no-files-found', `expected ${NO_FILES_FOUND.join(', ')}, got '${raw}'`)
  }
  return value
}

/**
 * Signed copies keep the artifacts' relative paths: an output-dir holding the workspace would overwrite
 * them, and one outside it would write where the workflow never looks. Run time checks it again with
 * symbolic links resolved.
 */
export function outputDirInput(read: InputReader, workspace: string): string {
  const outputDir = path.resolve(workspace, optionalString(read, 'output-dir') ?? 'signed')
  if (relativeInside(workspace, outputDir) === undefined) {
    throw new InputError(
      'output-dir',
      `must be a directory inside the workspace ${workspace}, got ${outputDir}: signed files are written only there, ` +
        'and never over the artifacts'
    )
  }
  return outputDir
}

const SOURCE_OBJECT_FORMAT = 's3://bucket/key or s3://bucket/key?versionId=VERSION'

/**
 * source-object, taken literally as the AWS CLI writes S3 URIs (the key is not percent-decoded). Only a
 * trailing `?versionId=` is special. The key must name a file: its last segment is the signed copy's name
 * in output-dir, so a "folder" key or a '.'/'..' segment is refused.
 */
export function parseSourceObject(uri: string): ObjectRef {
  const bad = (why: string): InputError =>
    new InputError('source-object', `expected ${SOURCE_OBJECT_FORMAT}, got '${logSafe(uri)}': ${why}`)
  // Its last key segment names the signed copy, in log lines and the checksums file.
  if (hasUnsafeCharacter(uri)) throw bad('it holds a control character (newline, tab...)')
  const match = /^s3:\/\/([^/?]+)\/(.+)$/.exec(uri)
  if (!match) throw bad('not an s3:// URI with a bucket and a key')
  const [, bucket, rest] = match
  if (!BUCKET_NAME.test(bucket)) throw bad(`'${bucket}' is not an S3 bucket name`)
  const at = rest.lastIndexOf('?versionId=')
  const key = at === -1 ? rest : rest.slice(0, at)
  const versionId = at === -1 ? undefined : rest.slice(at + '?versionId='.length)
  const name = key.split('/').pop() ?? ''
  if (key === '' || name === '' || name === '.' || name === '..') {
    throw bad('the key must end with a file name')
  }
  if (versionId !== undefined && !/^[\x21-\x7e]{1,1024}$/.test(versionId)) {
    throw bad('the versionId must be 1-1024 printable characters without spaces')
  }
  if (versionId === 'null') {
    throw bad('versionId=null names an object stored without versioning; Signer signs an exact version')
  }
  return versionId === undefined ? { bucket, key } : { bucket, key, versionId }
}

/** path or source-object: exactly one says what to sign. */
function signTargetInput(read: InputReader): { patterns: string[]; sourceObject?: ObjectRef } {
  const patterns = listInput(read, 'path', /\n/)
  const uri = optionalString(read, 'source-object')
  if (patterns.length > 0 && uri !== undefined) {
    throw new InputError(
      'source-object',
      "and 'path' were both given: give path to upload and sign files, or source-object to sign an object already in S3, not both"
    )
  }
  if (uri !== undefined) return { patterns, sourceObject: parseSourceObject(uri) }
  if (patterns.length === 0) {
    throw new InputError(
      'path',
      "or 'source-object' is required in sign mode: path is one file or glob pattern per line, relative to the " +
        'workspace; source-object is s3://bucket/key[?versionId=...]'
    )
  }
  return { patterns }
}

/** With source-object the source bucket is the URI's; a different source-bucket would be silently ignored. */
function sourceBucketInput(read: InputReader, sourceObject: ObjectRef | undefined): string {
  if (!sourceObject) return bucketInput(read, 'source-bucket')
  const given = optionalString(read, 'source-bucket')
  if (given !== undefined && given !== sourceObject.bucket) {
    throw new InputError(
      'source-bucket',
      `is '${given}' but source-object is in bucket '${sourceObject.bucket}': leave source-bucket out (it is where path uploads go)`
    )
  }
  return sourceObject.bucket
}

/**
 * release-upload needs a token, signed files on disk, and a tag to find the release by. A run not on a tag
 * is refused here, before any AWS call: release-upload: true asks for something this run cannot do, and
 * failing now costs no signing job (a warning after signing would be easy to miss, and a release would
 * ship without its signed files).
 */
export function releaseInput(
  read: InputReader,
  env: NodeJS.ProcessEnv,
  download: boolean
): Pick<SignConfig, 'release'> {
  if (!booleanInput(read, 'release-upload', false)) return {}
  const token = optionalString(read, 'github-token')
  if (token === undefined) {
    throw new InputError(
      'github-token',
      'is required with release-upload: true (github-token: ${{ github.token }}, with permissions: contents: write)'
    )
  }
  if (!download) {
    throw new InputError(
      'release-upload',
      'needs download: true and wait: true: the release assets are the downloaded signed files'
    )
  }
  const tag = releaseTag(env.GITHUB_REF ?? '')
  if (tag === undefined) {
    throw new InputError(
      'release-upload',
      `needs a run on a tag (GITHUB_REF refs/tags/...), and this run is on '${env.GITHUB_REF ?? ''}': ` +
        "nothing was signed. Run it on a tag (on: push: tags, or on: release), or set release-upload: ${{ startsWith(github.ref, 'refs/tags/') }}"
    )
  }
  return { release: { tag, token } }
}

export function buildSignConfig(
  read: InputReader,
  env: NodeJS.ProcessEnv
): Omit<SignConfig, keyof CommonConfig> {
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd())
  const { patterns, sourceObject } = signTargetInput(read)
  const sourceBucket = sourceBucketInput(read, sourceObject)
  const wait = booleanInput(read, 'wait', true)
  const download = booleanInput(read, 'download', true) && wait
  return {
    mode: 'sign',
    workspace,
    patterns,
    ifNoFilesFound: noFilesFoundInput(read),
    sourceObject,
    profileName: profileNameInput(read, 'in sign mode'),
    profileOwner: accountIdInput(read, 'profile-owner'),
    sourceBucket,
    sourcePrefix: prefixInput(read, 'source-prefix', 'unsigned/'),
    destinationBucket: bucketInput(read, 'destination-bucket', sourceBucket),
    destinationPrefix: prefixInput(read, 'destination-prefix', DEFAULT_DESTINATION_PREFIX),
    outputDir: outputDirInput(read, workspace),
    timeoutSeconds: integerInput(read, 'timeout-seconds', 600, 1, 6 * 3600),
    wait,
    download,
    maxConcurrency: integerInput(read, 'max-concurrency', 4, 1, 64),
    expectedBucketOwner: accountIdInput(read, 'expected-bucket-owner'),
    ...releaseInput(read, env, download)
  }
}
