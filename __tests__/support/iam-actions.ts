import * as fs from 'node:fs'
import * as path from 'node:path'
import { SdkCall } from './sdk-calls'

/**
 * The IAM actions an SDK call needs. Sources: the Amazon S3 API reference ("Permissions" of each operation)
 * and the Service Authorization Reference for S3 and Signer; for StartSigningJob, the AWS Signer developer
 * guide (gs-iam.html): the caller must also hold s3:GetObjectVersion, s3:PutObject and s3:ListBucket, since
 * Signer reads the source version and writes the signed object with the caller's permissions.
 */

/** A read of an object names VersionId when it wants one version; without it (or with it undefined) it reads
 * the current one. Both may happen through one call site, so a versioned read needs both actions. */
function objectRead(call: SdkCall): string[] {
  return call.inputNames.includes('VersionId') ? ['s3:GetObject', 's3:GetObjectVersion'] : ['s3:GetObject']
}

const S3_ACTIONS: Record<string, (call: SdkCall) => string[]> = {
  GetObject: objectRead,
  // HEAD needs the permission of the GET it describes (S3 API reference, HeadObject).
  HeadObject: objectRead,
  // Deleting without a version only adds a delete marker; this code deletes versions, never keys.
  DeleteObject: call =>
    call.inputNames.includes('VersionId') ? ['s3:DeleteObjectVersion'] : ['s3:DeleteObject'],
  PutObject: () => ['s3:PutObject'],
  // lib-storage: PutObject, or CreateMultipartUpload/UploadPart/CompleteMultipartUpload (all s3:PutObject),
  // and AbortMultipartUpload when a part fails.
  Upload: () => ['s3:PutObject', 's3:AbortMultipartUpload'],
  ListObjectVersions: () => ['s3:ListBucketVersions'],
  ListObjectsV2: () => ['s3:ListBucket'],
  HeadBucket: () => ['s3:ListBucket'],
  GetBucketVersioning: () => ['s3:GetBucketVersioning'],
  GetBucketLocation: () => ['s3:GetBucketLocation']
}

/** Signer's IAM actions are named after the operations ("signer:" + operation name). */
const SIGNER_DEPENDENT_ACTIONS: Record<string, string[]> = {
  StartSigningJob: ['s3:GetObjectVersion', 's3:PutObject', 's3:ListBucket']
}

export function iamActions(call: SdkCall): string[] {
  // Lambda's read actions are named after the operations too (Service Authorization Reference, Lambda).
  if (call.service === 'lambda') return [`lambda:${call.operation}`]
  if (call.service === 'signer') {
    return [`signer:${call.operation}`, ...(SIGNER_DEPENDENT_ACTIONS[call.operation] ?? [])]
  }
  const mapping = S3_ACTIONS[call.operation]
  if (!mapping) {
    throw new Error(
      `${call.file} calls S3 ${call.operation}: add its IAM action(s) to S3_ACTIONS in ` +
        '__tests__/support/iam-actions.ts (see "Permissions" on its page of the S3 API reference)'
    )
  }
  return mapping(call)
}

export function requiredActions(calls: SdkCall[]): string[] {
  return [...new Set(calls.flatMap(iamActions))].sort()
}

/** Describe, Get, List, Head: operations that read. The others (Start, Revoke, Put, Delete...) change state. */
export function isReadOperation(operation: string): boolean {
  return /^(Describe|Get|List|Head)[A-Z]/.test(operation)
}

export function isReadAction(action: string): boolean {
  return isReadOperation(action.split(':')[1] ?? '')
}

export interface PolicyStatement {
  Sid?: string
  Effect: string
  Action: string | string[]
  Resource: string | string[]
  Condition?: unknown
}

export interface PolicyDocument {
  Version: string
  Statement: PolicyStatement[]
}

/** setup/iam/NAME.json, the policy a mode's role is given. */
export function readIamPolicy(name: string): PolicyDocument {
  const file = path.join(__dirname, '../../setup/iam', `${name}.json`)
  return JSON.parse(fs.readFileSync(file, 'utf8')) as PolicyDocument
}

export const asList = (value: string | string[]): string[] => (Array.isArray(value) ? value : [value])

export function grantedActions(policy: PolicyDocument): string[] {
  return [
    ...new Set(policy.Statement.filter(s => s.Effect === 'Allow').flatMap(s => asList(s.Action)))
  ].sort()
}
