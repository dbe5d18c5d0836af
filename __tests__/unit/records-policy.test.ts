import { Request, Statement, isAllowed } from '../support/policy-eval'
import { PolicyDocument, readIamPolicy } from '../support/iam-actions'
import { template } from '../support/cfn-template'

/**
 * Records are append-only against the sign role: setup/iam/sign.json and the stack's bucket policy,
 * evaluated together, let it write a record only with If-None-Match: * and never delete one; the revoke
 * roles read records and can tell a missing one (s3:ListBucket on the bucket, no prefix condition).
 */

const BUCKET = 'arn:aws:s3:::ARTIFACT_BUCKET'
const SIGN_ROLE = 'arn:aws:iam::ACCOUNT_ID:role/aws-signer-action-SignRole'
const ADMIN = 'arn:aws:iam::ACCOUNT_ID:role/records-admin'

/** The stack's values for what the bucket policy names: the bucket's ARN, the account, the administrator. */
function resolve(value: unknown, administrator: string): unknown {
  if (Array.isArray(value)) {
    return value.map(v => resolve(v, administrator)).filter(v => v !== NO_VALUE)
  }
  if (value && typeof value === 'object') {
    const [[name, inner]] = Object.entries(value)
    if (name === 'Fn::Sub') {
      return (inner as string)
        .replace('${ArtifactBucket.Arn}', BUCKET)
        .replace('${AWS::Partition}', 'aws')
        .replace('${AWS::AccountId}', 'ACCOUNT_ID')
    }
    if (name === 'Fn::GetAtt' && (inner as string[]).join('.') === 'ArtifactBucket.Arn') return BUCKET
    if (name === 'Ref' && inner === 'AWS::NoValue') return NO_VALUE
    if (name === 'Ref' && inner === 'RecordsAdministratorArn') return administrator
    if (name === 'Fn::If') {
      const [condition, whenTrue, whenFalse] = inner as [string, unknown, unknown]
      if (condition !== 'HasRecordsAdministrator') throw new Error(`unknown condition ${condition}`)
      return resolve(administrator ? whenTrue : whenFalse, administrator)
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, administrator)]))
  }
  return value
}
const NO_VALUE = Symbol('AWS::NoValue')

function bucketPolicy(administrator = ''): Statement[] {
  const properties = template.Resources.ArtifactBucketPolicy.Properties as {
    PolicyDocument: { Statement: unknown[] }
  }
  return resolve(properties.PolicyDocument.Statement, administrator) as Statement[]
}

const identity = (name: string): Statement[] =>
  (readIamPolicy(name) as PolicyDocument).Statement as Statement[]

function request(
  action: string,
  key: string,
  context: Record<string, string> = {},
  principalArn = SIGN_ROLE
): Request {
  return {
    action,
    resource: `${BUCKET}/${key}`,
    principalArn,
    context: { 'aws:SecureTransport': 'true', ...context }
  }
}

const RECORD = 'signed/provenance/jobs/0f9c1d2e-1111-2222-3333-444455556666.json'
const INDEX = 'signed/provenance/by-commit/c1c1c1c1/acme/firmware/0f9c1d2e-1111-2222-3333-444455556666.json'
const IF_NONE_MATCH = { 's3:if-none-match': '*' }

describe('the sign role and the bucket policy', () => {
  const sign = [...identity('sign'), ...bucketPolicy()]

  it('write a record only with If-None-Match: *', () => {
    for (const key of [RECORD, INDEX]) {
      expect(isAllowed(sign, request('s3:PutObject', key, IF_NONE_MATCH))).toBe(true)
      expect(isAllowed(sign, request('s3:PutObject', key))).toBe(false)
      // If-Match replaces an object whose ETag matches: it carries no If-None-Match, so it is refused too.
      expect(isAllowed(sign, request('s3:PutObject', key, { 's3:if-match': '"etag"' }))).toBe(false)
    }
  })

  it('never delete a record, nor hide it behind a delete marker', () => {
    for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion']) {
      for (const key of [RECORD, INDEX]) expect(isAllowed(sign, request(action, key))).toBe(false)
    }
  })

  it('still upload, read and remove unsigned versions, and let Signer write signed objects', () => {
    expect(isAllowed(sign, request('s3:PutObject', 'unsigned/abc/app.zip'))).toBe(true)
    expect(isAllowed(sign, request('s3:DeleteObjectVersion', 'unsigned/abc/app.zip'))).toBe(true)
    expect(isAllowed(sign, request('s3:PutObject', 'signed/app-job.zip'))).toBe(true)
    expect(isAllowed(sign, request('s3:GetObject', RECORD))).toBe(true)
  })

  it('grant DeleteObjectVersion nowhere but the unsigned prefix', () => {
    expect(isAllowed(sign, request('s3:DeleteObjectVersion', 'signed/app-job.zip'))).toBe(false)
    const deletes = identity('sign').filter(s => [s.Action].flat().some(a => a.startsWith('s3:Delete')))
    expect(deletes.map(s => s.Resource)).toEqual([`${BUCKET}/unsigned/*`])
  })

  it('refuse plain HTTP for everything', () => {
    const plain = request('s3:GetObject', RECORD, { 'aws:SecureTransport': 'false' })
    expect(isAllowed(sign, plain)).toBe(false)
  })
})

describe('deleting records', () => {
  const adminAllow: Statement = { Effect: 'Allow', Action: 's3:*', Resource: '*' }

  it('is left to the root user and the named administrator', () => {
    const policy = bucketPolicy(ADMIN)
    const del = (principal: string) =>
      isAllowed([adminAllow, ...policy], request('s3:DeleteObjectVersion', RECORD, {}, principal))
    expect(del(ADMIN)).toBe(true)
    expect(del('arn:aws:iam::ACCOUNT_ID:root')).toBe(true)
    expect(del(SIGN_ROLE)).toBe(false)
    expect(del('arn:aws:iam::ACCOUNT_ID:role/some-other-admin')).toBe(false)
  })

  it('without an administrator, by the root user only', () => {
    const del = (principal: string) =>
      isAllowed([adminAllow, ...bucketPolicy()], request('s3:DeleteObject', RECORD, {}, principal))
    expect(del('arn:aws:iam::ACCOUNT_ID:root')).toBe(true)
    expect(del(ADMIN)).toBe(false)
  })
})

describe('the revoke roles', () => {
  it.each(['revoke', 'revoke-dry-run'])(
    '%s reads records and lists the bucket without a prefix condition',
    name => {
      const policy = [...identity(name), ...bucketPolicy()]
      expect(
        isAllowed(policy, request('s3:GetObject', RECORD, {}, 'arn:aws:iam::ACCOUNT_ID:role/revoke'))
      ).toBe(true)
      // HEAD of a missing record answers 404 only to a caller with s3:ListBucket, which HEAD asks without s3:prefix.
      const list: Request = {
        action: 's3:ListBucket',
        resource: BUCKET,
        principalArn: 'arn:aws:iam::ACCOUNT_ID:role/revoke',
        context: { 'aws:SecureTransport': 'true' }
      }
      expect(isAllowed(policy, list)).toBe(true)
      expect(isAllowed(policy, request('s3:PutObject', RECORD, IF_NONE_MATCH))).toBe(false)
      expect(isAllowed(policy, request('s3:DeleteObjectVersion', RECORD))).toBe(false)
    }
  )
})
