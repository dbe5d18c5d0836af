import * as fs from 'node:fs'
import * as path from 'node:path'
import { template } from '../support/cfn-template'
import { anchors, codeBlocks } from '../support/markdown'

/**
 * One set of placeholders in the README, docs/, the examples and setup/iam/*.json, each tagged with the stack
 * output it comes from where it is used; the README lists them and every output of the stack; the examples
 * link to headings that exist.
 */

const ROOT = path.join(__dirname, '../..')
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8')
const filesIn = (dir: string, ext: string): string[] =>
  fs
    .readdirSync(path.join(ROOT, dir))
    .filter(name => name.endsWith(ext))
    .map(name => `${dir}/${name}`)

/** Placeholder → the stack output it comes from; null for a value the stack does not give. */
const PLACEHOLDERS: Record<string, string | null> = {
  ARTIFACT_BUCKET: 'ArtifactBucketName',
  PROFILE_NAME: 'SigningProfileName',
  PROFILE_VERSION_ARN: 'SigningProfileVersionArn',
  SIGN_ROLE_ARN: 'SignRoleArn',
  REVOKE_ROLE_ARN: 'RevokeRoleArn',
  REVOKE_DRY_RUN_ROLE_ARN: 'RevokeDryRunRoleArn',
  VERIFY_ROLE_ARN: 'VerifyRoleArn',
  DEPLOY_ROLE_ARN: 'DeployRoleArn',
  CODE_SIGNING_CONFIG_ARN: 'CodeSigningConfigArn',
  PROFILE_OWNER: null,
  FIRMWARE_PROFILE_NAME: null,
  PERMISSIONS_PLAN_ROLE_ARN: null,
  PERMISSIONS_ROLE_ARN: null,
  REGION: null,
  ACCOUNT_ID: null,
  FUNCTION_NAME: null
}
const TOKEN = new RegExp(`\\b(${Object.keys(PLACEHOLDERS).join('|')})\\b`, 'g')

/** The lines a user copies: the examples, and the code blocks of the README and docs/. */
const copiedLines: { file: string; line: string }[] = [
  ...filesIn('examples', '.yml').flatMap(file =>
    read(file)
      .split('\n')
      .map(line => ({ file, line }))
  ),
  ...['README.md', ...filesIn('docs', '.md')].flatMap(file =>
    codeBlocks(read(file)).flatMap(block => block.split('\n').map(line => ({ file, line })))
  )
]

describe('placeholders', () => {
  it('where a stack output fills one in, the line names that output', () => {
    const untagged = copiedLines.flatMap(({ file, line }) =>
      [...line.matchAll(TOKEN)].flatMap(([token]) => {
        const output = PLACEHOLDERS[token]
        return output && !line.includes(`# stack output ${output}`) ? [`${file}: ${line.trim()}`] : []
      })
    )
    expect(untagged).toEqual([])
  })

  it('the examples and snippets use no other stand-in for a stack value', () => {
    const others = copiedLines.filter(({ line }) =>
      /EXAMPLE|-example\b|:role\/aws-signer-action-|\d{12}:role\//.test(line)
    )
    expect(others.map(({ file, line }) => `${file}: ${line.trim()}`)).toEqual([])
  })

  it('setup/iam/*.json names only these placeholders', () => {
    const unknown = filesIn('setup/iam', '.json').flatMap(file =>
      [...read(file).matchAll(/\b[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\b/g)]
        .map(match => match[0])
        .filter(token => !(token in PLACEHOLDERS))
        .map(token => `${file}: ${token}`)
    )
    expect(unknown).toEqual([])
  })

  it("the README's table lists every placeholder, with the output it comes from", () => {
    const readme = read('README.md')
    for (const [token, output] of Object.entries(PLACEHOLDERS)) {
      const row = readme.split('\n').find(line => line.startsWith('|') && line.includes(`\`${token}\``))
      expect({ token, row: row !== undefined }).toEqual({ token, row: true })
      if (output) expect(row).toContain(`\`${output}\``)
    }
  })
})

describe('the stack outputs', () => {
  it("are each a row of the README's outputs table", () => {
    const readme = read('README.md')
    const rows = [...readme.matchAll(/^\| `([A-Za-z]+)` +\|/gm)].map(match => match[1])
    expect(Object.keys(template.Outputs).filter(output => !rows.includes(output))).toEqual([])
  })
})

describe('the examples link to headings that exist', () => {
  const links = filesIn('examples', '.yml').flatMap(file =>
    [...read(file).matchAll(/\b((?:README|docs\/[a-z-]+)\.md)#([a-z0-9-]+)/g)].map(([, target, anchor]) => ({
      file,
      target,
      anchor
    }))
  )

  it('the examples point to the set-up they need', () => {
    expect(links.length).toBeGreaterThan(0)
  })

  it.each(links.map(link => [`${link.file} -> ${link.target}#${link.anchor}`, link] as const))(
    '%s',
    (_, link) => {
      expect(anchors(read(link.target))).toContain(link.anchor)
    }
  )
})
