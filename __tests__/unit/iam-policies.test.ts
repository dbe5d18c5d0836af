import * as fs from 'node:fs'
import * as path from 'node:path'
import {
  readIamPolicy,
  asList,
  grantedActions,
  iamActions,
  isReadAction,
  isReadOperation,
  requiredActions
} from '../support/iam-actions'
import { SdkCall, reachableFiles, sdkCalls, sdkCallsInSource } from '../support/sdk-calls'
import { cliCalls, cliIamActions } from '../support/cli-calls'

/**
 * Policy drift: setup/iam/<mode>.json grants exactly the IAM actions the code of that mode can call, derived
 * from src/<mode>/ and the src files it imports. A call added without its permission, or a permission left
 * behind by a removed call, fails here.
 */

const ROOT = path.join(__dirname, '../..')
const IAM_DIR = path.join(ROOT, 'setup/iam')

/** Mode → its folder under src/. A mode's folder that exists must have its policy. */
const MODES = ['sign', 'revoke', 'permissions', 'verify'].filter(mode =>
  fs.existsSync(path.join(ROOT, 'src', mode))
)

function callsOf(mode: string): SdkCall[] {
  return sdkCalls(reachableFiles(path.join(ROOT, 'src', mode)))
}

describe('the scanner finds the calls the code makes', () => {
  const file = path.join(ROOT, 'src/example.ts')
  const source = `
    import { GetObjectCommand, HeadObjectCommand, DeleteObjectCommand, paginateListObjectVersions } from '@aws-sdk/client-s3'
    import * as signer from '@aws-sdk/client-signer'
    import { waitUntilSuccessfulSigningJob as wait } from '@aws-sdk/client-signer'
    import { Upload } from '@aws-sdk/lib-storage'
    class LocalCommand {}
    export async function f(s3: any, client: any, versionId?: string) {
      await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }))
      await s3.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k', VersionId: versionId }))
      await s3.send(new DeleteObjectCommand({ Bucket: 'b', Key: 'k', VersionId: 'v' }))
      for await (const page of paginateListObjectVersions({ client: s3 }, { Bucket: 'b' })) void page
      await client.send(new signer.RevokeSignatureCommand({ jobId: 'j', reason: 'r' }))
      await wait({ client, maxWaitTime: 5 }, { jobId: 'j' })
      await new Upload({ client: s3, params: { Bucket: 'b', Key: 'k', Body: '' } }).done()
      return new LocalCommand()
    }`

  it('reads commands, namespaced commands, paginators, waiters and lib-storage uploads', () => {
    const calls = sdkCallsInSource(file, source)
    expect(calls.map(call => `${call.service} ${call.operation}`)).toEqual([
      's3 GetObject',
      's3 HeadObject',
      's3 DeleteObject',
      's3 ListObjectVersions',
      'signer RevokeSignature',
      'signer DescribeSigningJob',
      's3 Upload'
    ])
  })

  it('maps each call to its IAM actions, a named VersionId to the version actions', () => {
    const actions = sdkCallsInSource(file, source).map(iamActions)
    expect(actions).toEqual([
      ['s3:GetObject'],
      ['s3:GetObject', 's3:GetObjectVersion'],
      ['s3:DeleteObjectVersion'],
      ['s3:ListBucketVersions'],
      ['signer:RevokeSignature'],
      ['signer:DescribeSigningJob'],
      ['s3:PutObject', 's3:AbortMultipartUpload']
    ])
  })

  it('asks for a mapping rather than guess one for an S3 call it does not know', () => {
    const [call] = sdkCallsInSource(
      file,
      `import { PutBucketPolicyCommand } from '@aws-sdk/client-s3'\nnew PutBucketPolicyCommand({})`
    )
    expect(() => iamActions(call)).toThrow(/PutBucketPolicy: add its IAM action/)
  })

  it('refuses a client package it has no IAM mapping for', () => {
    expect(() =>
      sdkCallsInSource(file, `import { GetCallerIdentityCommand } from '@aws-sdk/client-sts'`)
    ).toThrow(/@aws-sdk\/client-sts: add the service/)
  })

  it('follows a mode into the shared src files it imports', () => {
    const files = reachableFiles(path.join(ROOT, 'src/sign')).map(f => path.relative(ROOT, f))
    expect(files).toEqual(expect.arrayContaining(['src/sign/run.ts', 'src/aws.ts', 'src/config/sign.ts']))
    expect(files.every(f => f.startsWith('src/'))).toBe(true)
  })
})

describe.each(MODES)('setup/iam/%s.json', mode => {
  const calls = callsOf(mode)

  it('the code of the mode makes AWS calls (the scanner sees them)', () => {
    expect(calls.length).toBeGreaterThan(0)
  })

  it('grants every action the mode can call, and nothing more', () => {
    expect(grantedActions(readIamPolicy(mode))).toEqual(requiredActions(calls))
  })

  // The same comparison, said the way a fix needs it: which call wants a missing action, in which file.
  it(`names each missing or unused action of ${mode}.json`, () => {
    const granted = grantedActions(readIamPolicy(mode))
    const missing = calls.flatMap(call =>
      iamActions(call)
        .filter(action => !granted.includes(action))
        .map(action => `${action} (${call.operation} in ${path.relative(ROOT, call.file)})`)
    )
    const required = requiredActions(calls)
    const unused = granted.filter(action => !required.includes(action))
    expect({ missing: [...new Set(missing)], unused }).toEqual({ missing: [], unused: [] })
  })
})

describe('setup/iam/revoke-dry-run.json', () => {
  const revokeCalls = callsOf('revoke')

  // A dry run makes the same reads as a real run and no revoke call (README, revoke mode).
  it("grants exactly the revoke mode's reads", () => {
    const reads = revokeCalls.filter(call => isReadOperation(call.operation))
    expect(reads.length).toBeGreaterThan(0)
    expect(grantedActions(readIamPolicy('revoke-dry-run'))).toEqual(requiredActions(reads))
  })

  it('grants nothing that changes state', () => {
    const writes = grantedActions(readIamPolicy('revoke-dry-run')).filter(action => !isReadAction(action))
    expect(writes).toEqual([])
  })

  it('leaves out every write the revoke mode makes', () => {
    const writes = requiredActions(revokeCalls.filter(call => !isReadOperation(call.operation)))
    expect(writes).toEqual(expect.arrayContaining(['signer:RevokeSignature', 'signer:RevokeSigningProfile']))
    const granted = grantedActions(readIamPolicy('revoke-dry-run'))
    for (const write of writes) expect(granted).not.toContain(write)
  })
})

// The deploy role runs the AWS CLI, not this action: its policy follows the calls of examples/lambda.yml.
describe('setup/iam/deploy.json', () => {
  const calls = cliCalls(path.join(ROOT, 'examples/lambda.yml'), 'deploy')

  it('the deploy job of examples/lambda.yml makes AWS CLI calls (the scanner sees them)', () => {
    expect(calls.map(call => call.command)).toEqual(
      expect.arrayContaining([
        'get-function-code-signing-config',
        'get-code-signing-config',
        'update-function-code',
        'wait function-updated-v2'
      ])
    )
  })

  it('grants every action those calls need, and nothing more', () => {
    const required = [...new Set(calls.flatMap(cliIamActions))].sort()
    expect(grantedActions(readIamPolicy('deploy'))).toEqual(required)
  })

  it('maps a waiter to the operation it polls, and a named object version to s3:GetObjectVersion', () => {
    expect(cliIamActions({ service: 'lambda', command: 'wait function-updated-v2', options: [] })).toEqual([
      'lambda:GetFunction'
    ])
    expect(
      cliIamActions({
        service: 'lambda',
        command: 'update-function-code',
        options: ['function-name', 's3-bucket', 's3-key', 's3-object-version']
      })
    ).toEqual(['lambda:UpdateFunctionCode', 's3:GetObjectVersion'])
    expect(() => cliIamActions({ service: 'lambda', command: 'wait nothing-like-it', options: [] })).toThrow(
      /waiters-2\.json/
    )
  })
})

// A shared profile's ARN is in its owner's account (Service Authorization Reference, signing-profile):
// the sign role of another account needs the profile statement in the owner's account, nothing else changed.
describe('setup/iam/sign-shared-profile.json', () => {
  it('is sign.json with the profile in the account of profile-owner', () => {
    const sign = readIamPolicy('sign')
    const shared = readIamPolicy('sign-shared-profile')
    const inOwnersAccount = sign.Statement.map(statement =>
      statement.Sid === 'UseTheSigningProfile'
        ? {
            ...statement,
            Resource: asList(statement.Resource).map(arn => arn.replace(':ACCOUNT_ID:', ':PROFILE_OWNER:'))
          }
        : statement
    )
    expect(shared.Statement.map(s => ({ ...s, Resource: asList(s.Resource) }))).toEqual(
      inOwnersAccount.map(s => ({ ...s, Resource: asList(s.Resource) }))
    )
    expect(JSON.stringify(shared)).toContain(
      'arn:aws:signer:REGION:PROFILE_OWNER:/signing-profiles/PROFILE_NAME'
    )
  })

  it('names profiles by the signing-profile resource type only, never a pattern below it', () => {
    for (const name of ['sign', 'sign-shared-profile', 'revoke', 'revoke-dry-run', 'permissions', 'verify']) {
      const resources = readIamPolicy(name).Statement.flatMap(statement => asList(statement.Resource))
      expect({ name, below: resources.filter(arn => /\/signing-profiles\/[^/]+\/\*$/.test(arn)) }).toEqual({
        name,
        below: []
      })
    }
  })
})

describe('setup/iam/verify.json', () => {
  // Verify mode reads Signer and Lambda; it never changes either.
  it('grants only reads', () => {
    const granted = grantedActions(readIamPolicy('verify'))
    expect(granted.length).toBeGreaterThan(0)
    expect(granted.filter(action => !isReadAction(action))).toEqual([])
  })
})

describe('every policy in setup/iam is a well-formed identity policy', () => {
  const files = fs.readdirSync(IAM_DIR).filter(name => name.endsWith('.json'))

  it('has the policies of sign, revoke and the revoke dry run', () => {
    expect(files).toEqual(expect.arrayContaining(['sign.json', 'revoke.json', 'revoke-dry-run.json']))
  })

  it.each(files)('%s', file => {
    const policy = readIamPolicy(path.basename(file, '.json'))
    expect(policy.Version).toBe('2012-10-17')
    expect(policy.Statement.length).toBeGreaterThan(0)
    const sids = policy.Statement.map(statement => statement.Sid).filter(Boolean)
    expect(new Set(sids).size).toBe(sids.length)
    for (const statement of policy.Statement) {
      expect(statement.Effect).toBe('Allow')
      for (const action of asList(statement.Action)) expect(action).toMatch(/^(s3|signer|lambda):[A-Za-z]+$/)
      for (const resource of asList(statement.Resource))
        expect(resource).toMatch(/^(\*|arn:aws:(s3|signer|lambda):|CODE_SIGNING_CONFIG_ARN$)/)
    }
  })
})
