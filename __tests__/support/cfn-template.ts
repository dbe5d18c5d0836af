import * as fs from 'node:fs'
import * as path from 'node:path'
import * as yaml from 'js-yaml'

/** setup/signing-stack.yml, read as CloudFormation reads it, for the tests of its roles and bucket policy. */

const ROOT = path.join(__dirname, '../..')

/** CloudFormation's short-form tags (!Ref, !Sub...) read as their long form ({ Ref }, { 'Fn::Sub' }). */
const FUNCTIONS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAZs',
  'GetAtt',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub'
]
const CONDITIONS = ['And', 'Equals', 'If', 'Not', 'Or']
const CFN_TAGS = [
  { name: 'Ref', long: 'Ref' },
  { name: 'Condition', long: 'Condition' },
  ...[...FUNCTIONS, ...CONDITIONS].map(name => ({ name, long: `Fn::${name}` }))
]
const CFN_SCHEMA = yaml.DEFAULT_SCHEMA.extend(
  CFN_TAGS.flatMap(({ name, long }) =>
    (['scalar', 'sequence', 'mapping'] as const).map(
      kind =>
        new yaml.Type(`!${name}`, {
          kind,
          construct: (data: unknown) =>
            ({
              [long]: name === 'GetAtt' && typeof data === 'string' ? data.split('.') : data
            }) as unknown
        })
    )
  )
)

export type Template = {
  Parameters: Record<string, { Default?: unknown }>
  Conditions: Record<string, unknown>
  Resources: Record<string, { Type: string; Condition?: string; Properties: Record<string, unknown> }>
  Outputs: Record<string, unknown>
}

export const template = yaml.load(fs.readFileSync(path.join(ROOT, 'setup/signing-stack.yml'), 'utf8'), {
  schema: CFN_SCHEMA
}) as Template

/** The stack's names for what the JSON policies leave as placeholders. */
export const PLACEHOLDERS: Record<string, string> = {
  '${AWS::Partition}': 'aws',
  '${AWS::Region}': 'REGION',
  '${AWS::AccountId}': 'ACCOUNT_ID',
  '${ArtifactBucket}': 'ARTIFACT_BUCKET',
  '${SigningProfile.ProfileName}': 'PROFILE_NAME',
  '${UnsignedPrefix}': 'unsigned/',
  '${FunctionName}': 'FUNCTION_NAME',
  '${CodeSigningConfig.CodeSigningConfigArn}': 'CODE_SIGNING_CONFIG_ARN'
}

/** A CloudFormation value with only !Sub strings of known names, as the JSON policies write it. */
export function asPolicyJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asPolicyJson)
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
    if (entries.length === 1 && entries[0][0] === 'Fn::Sub' && typeof entries[0][1] === 'string') {
      return entries[0][1].replace(/\$\{[^}]+\}/g, name => {
        if (!(name in PLACEHOLDERS)) throw new Error(`policy names ${name}, which has no placeholder`)
        return PLACEHOLDERS[name]
      })
    }
    return Object.fromEntries(entries.map(([key, inner]) => [key, asPolicyJson(inner)]))
  }
  return value
}
