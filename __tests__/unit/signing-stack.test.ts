import { readIamPolicy } from '../support/iam-actions'
import { asPolicyJson, template } from '../support/cfn-template'

/**
 * setup/signing-stack.yml: the roles' inline policies are setup/iam/*.json with the stack's own names in
 * place of the placeholders, and each role trusts exactly one GitHub environment of one repository.
 * (cfn-lint, in .ci/run, checks the template against the CloudFormation resource schemas.)
 */

interface RoleProperties {
  AssumeRolePolicyDocument: {
    Statement: {
      Effect: string
      Action: string
      Principal: { Federated: unknown }
      Condition: Record<string, Record<string, unknown>>
    }[]
  }
  Policies: { PolicyName: string; PolicyDocument: unknown }[]
}

const ROLES = [
  { role: 'SignRole', policy: 'sign', environment: 'SignEnvironment' },
  { role: 'RevokeRole', policy: 'revoke', environment: 'RevokeEnvironment' },
  { role: 'RevokeDryRunRole', policy: 'revoke-dry-run', environment: 'RevokeDryRunEnvironment' },
  { role: 'DeployRole', policy: 'deploy', environment: 'DeployEnvironment' },
  { role: 'VerifyRole', policy: 'verify', environment: 'VerifyEnvironment' }
]

describe.each(ROLES)('$role', ({ role, policy, environment }) => {
  const resource = template.Resources[role]
  const properties = resource.Properties as unknown as RoleProperties

  it(`has setup/iam/${policy}.json as its only inline policy`, () => {
    expect(resource.Type).toBe('AWS::IAM::Role')
    expect(properties.Policies).toHaveLength(1)
    expect(properties.Policies[0].PolicyName).toBe(policy)
    expect(asPolicyJson(properties.Policies[0].PolicyDocument)).toEqual(readIamPolicy(policy))
  })

  it('trusts one environment of one repository, for sts.amazonaws.com, through GitHub OIDC', () => {
    const statements = properties.AssumeRolePolicyDocument.Statement
    expect(statements).toHaveLength(1)
    const [trust] = statements
    expect(trust.Effect).toBe('Allow')
    expect(trust.Action).toBe('sts:AssumeRoleWithWebIdentity')
    // Exact match only: a StringLike with a wildcard would let other refs or environments in.
    expect(Object.keys(trust.Condition)).toEqual(['StringEquals'])
    expect(trust.Condition.StringEquals).toEqual({
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': {
        'Fn::Sub': `repo:\${Repository}:environment:\${${environment}}`
      }
    })
    expect(trust.Principal.Federated).toEqual({
      'Fn::If': ['CreateOidcProvider', { Ref: 'GitHubOidcProvider' }, { Ref: 'ExistingOidcProviderArn' }]
    })
  })
})

describe('the rest of the stack', () => {
  it("creates the OIDC provider only when the account's own is not given, for sts.amazonaws.com", () => {
    const provider = template.Resources.GitHubOidcProvider
    expect(provider.Condition).toBe('CreateOidcProvider')
    expect(template.Conditions.CreateOidcProvider).toEqual({
      'Fn::Equals': [{ Ref: 'ExistingOidcProviderArn' }, '']
    })
    expect(template.Parameters.ExistingOidcProviderArn.Default).toBe('')
    expect(provider.Properties).toMatchObject({
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com']
    })
  })

  it('has a versioned, private, encrypted bucket whose replaced unsigned versions expire', () => {
    const bucket = template.Resources.ArtifactBucket.Properties
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' })
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true
    })
    expect(bucket.BucketEncryption).toBeDefined()
    const rules = (bucket.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules
    expect(rules).toContainEqual(
      expect.objectContaining({
        Status: 'Enabled',
        Prefix: { Ref: 'UnsignedPrefix' },
        NoncurrentVersionExpiration: { NoncurrentDays: { Ref: 'NoncurrentUnsignedVersionDays' } }
      })
    )
    expect(template.Parameters.UnsignedPrefix.Default).toBe('unsigned/')
  })

  // Only what sign mode can use: StartSigningJob does not sign container images (Notation), and
  // CloudFormation cannot give an IoT profile its certificate. AWS allows a validity of at most 135 months.
  it('makes a Lambda profile, its validity at most 135 months', () => {
    expect(template.Resources.SigningProfile.Properties).toEqual({
      PlatformId: 'AWSLambda-SHA384-ECDSA',
      SignatureValidityPeriod: { Type: 'MONTHS', Value: { Ref: 'SignatureValidityMonths' } }
    })
    expect(template.Parameters.SignatureValidityMonths).toMatchObject({ MinValue: 1, MaxValue: 135 })
  })

  it('leaves nothing behind on a failed create: retained resources are RetainExceptOnCreate', () => {
    const retained = Object.entries(template.Resources).filter(
      ([, resource]) => (resource as { DeletionPolicy?: string }).DeletionPolicy !== undefined
    )
    expect(retained.map(([name]) => name).sort()).toEqual(['ArtifactBucket', 'SigningProfile'])
    for (const [, resource] of retained) {
      expect((resource as { DeletionPolicy?: string }).DeletionPolicy).toBe('RetainExceptOnCreate')
    }
  })

  it('with a function name, enforces the profile in a code signing configuration', () => {
    const config = template.Resources.CodeSigningConfig
    expect(config.Condition).toBe('DeployLambda')
    expect(config.Properties).toMatchObject({
      AllowedPublishers: {
        SigningProfileVersionArns: [{ 'Fn::GetAtt': ['SigningProfile', 'ProfileVersionArn'] }]
      },
      CodeSigningPolicies: { UntrustedArtifactOnDeployment: 'Enforce' }
    })
    expect(template.Resources.DeployRole.Condition).toBe('DeployLambda')
  })

  it('outputs what the action and the examples need', () => {
    expect(Object.keys(template.Outputs)).toEqual(
      expect.arrayContaining([
        'ArtifactBucketName',
        'SigningProfileName',
        'SigningProfileVersionArn',
        'SignRoleArn',
        'RevokeRoleArn',
        'RevokeDryRunRoleArn',
        'CodeSigningConfigArn',
        'DeployRoleArn',
        'VerifyRoleArn'
      ])
    )
  })
})
