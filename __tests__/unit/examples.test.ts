import * as fs from 'node:fs'
import * as path from 'node:path'
import * as yaml from 'js-yaml'
import { Job, Step, Workflow, loadWorkflow } from '../support/workflows'

/**
 * The example workflows are meant to be copied: each parses, and follows the rules that keep a signing role
 * away from build steps and unreviewed jobs (README, examples/).
 */

const EXAMPLES = path.join(__dirname, '../../examples')
const WORKFLOWS = path.join(__dirname, '../../.github/workflows')

/** Steps that build, install or run project code: none of them belongs in a job that can get AWS credentials. */
const BUILD_RUN =
  /\b(make|npm|npx|yarn|pnpm|node|go build|cargo|mvn|gradle|docker build|sam build|cdk|pip|python)\b/
const BUILD_ACTION = /^actions\/(setup-[a-z]+|checkout)@/

const canUseOidc = (job: Job): boolean =>
  typeof job.permissions === 'object' && job.permissions['id-token'] === 'write'

const assumesAwsRole = (job: Job): boolean =>
  canUseOidc(job) ||
  (job.steps ?? []).some(step => step.uses?.startsWith('aws-actions/configure-aws-credentials@'))

const usesOf = (job: Job): string[] =>
  [job.uses, ...(job.steps ?? []).map(step => step.uses)].filter((uses): uses is string => Boolean(uses))

function violations(workflow: Workflow): string[] {
  const problems: string[] = []
  if (JSON.stringify(workflow.permissions) !== '{}') {
    problems.push('the workflow does not start from permissions: {} (each job asks for what it needs)')
  }
  for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
    if (assumesAwsRole(job) && !job.environment) {
      problems.push(`job ${name} can assume an AWS role but runs in no (protected) environment`)
    }
    for (const uses of usesOf(job)) {
      if (!uses.startsWith('./') && !/@[0-9a-f]{40}$/.test(uses)) {
        problems.push(`job ${name}: ${uses} is not pinned by a commit SHA`)
      }
    }
    if (canUseOidc(job)) {
      for (const step of job.steps ?? []) {
        if ((step.run && BUILD_RUN.test(step.run)) || (step.uses && BUILD_ACTION.test(step.uses))) {
          problems.push(`job ${name} has id-token: write and a build step (${step.run ?? step.uses})`)
        }
      }
    }
    for (const step of job.steps ?? []) {
      // An expression expanded into a script is a script injection; pass values through env instead.
      if (step.run?.includes('${{')) problems.push(`job ${name}: a run script expands \${{ }} (use env:)`)
      // A token left in .git/config is readable by every later step of the job.
      if (
        step.uses &&
        /^actions\/checkout@/.test(step.uses) &&
        step.with?.['persist-credentials'] !== false
      ) {
        problems.push(`job ${name}: actions/checkout without persist-credentials: false`)
      }
      for (const unpinned of unpinnedPipPackages(step.run ?? '')) {
        problems.push(`job ${name}: pip installs ${unpinned} without a pinned version (==)`)
      }
    }
  }
  return problems
}

/** Packages of each `pip install` line that name no exact version: a new release would change the run. */
function unpinnedPipPackages(script: string): string[] {
  return [...script.matchAll(/pip3? install ([^\n]+)/g)].flatMap(([, args]) =>
    args
      .split(/\s+/)
      .map(arg => arg.replace(/^["']|["']$/g, ''))
      .filter(arg => arg !== '' && !arg.startsWith('-') && !/==[0-9][\w.]*$/.test(arg))
  )
}

const files = fs.readdirSync(EXAMPLES).filter(name => /\.ya?ml$/.test(name))

describe('the rules catch what they are meant to', () => {
  const safe: Workflow = {
    on: 'push',
    permissions: {},
    jobs: {
      build: {
        permissions: { contents: 'read' },
        steps: [
          { uses: `actions/checkout@${'a'.repeat(40)}`, with: { 'persist-credentials': false } },
          { run: 'make dist' }
        ]
      },
      sign: { environment: 'signing', permissions: { 'id-token': 'write' }, steps: [{ run: 'ls' }] }
    }
  }

  it('accepts a safe workflow', () => {
    expect(violations(safe)).toEqual([])
  })

  it.each([
    ['permissions at the top', { ...safe, permissions: { contents: 'read' } }, /permissions: \{\}/],
    [
      'a signing job without an environment',
      { ...safe, jobs: { sign: { permissions: { 'id-token': 'write' }, steps: [] } } },
      /job sign can assume an AWS role but runs in no/
    ],
    [
      'configure-aws-credentials without an environment',
      {
        ...safe,
        jobs: { x: { steps: [{ uses: `aws-actions/configure-aws-credentials@${'b'.repeat(40)}` }] } }
      },
      /job x can assume an AWS role/
    ],
    [
      'an action pinned by tag',
      { ...safe, jobs: { build: { steps: [{ uses: 'actions/checkout@v7' }] } } },
      /actions\/checkout@v7 is not pinned/
    ],
    [
      'a build step in a job with id-token: write',
      {
        ...safe,
        jobs: {
          sign: { environment: 'signing', permissions: { 'id-token': 'write' }, steps: [{ run: 'npm ci' }] }
        }
      },
      /job sign has id-token: write and a build step \(npm ci\)/
    ],
    [
      'an expression in a run script',
      { ...safe, jobs: { build: { steps: [{ run: 'echo ${{ inputs.reason }}' }] } } },
      /expands/
    ],
    [
      'a checkout that keeps its credentials',
      { ...safe, jobs: { build: { steps: [{ uses: `actions/checkout@${'a'.repeat(40)}` }] } } },
      /actions\/checkout without persist-credentials: false/
    ],
    [
      'a pip install of an unpinned tool',
      { ...safe, jobs: { build: { steps: [{ run: 'pip install "moto[server]==5.2.1" cfn-lint' }] } } },
      /pip installs cfn-lint without a pinned version/
    ]
  ])('refuses %s', (_name, workflow, message) => {
    expect(violations(workflow as Workflow).join('\n')).toMatch(message)
  })
})

describe.each(files)('examples/%s', file => {
  const workflow = loadWorkflow(EXAMPLES, file)

  it('parses as a workflow with jobs', () => {
    expect(workflow.on).toBeDefined()
    expect(Object.keys(workflow.jobs).length).toBeGreaterThan(0)
  })

  it('follows the rules', () => {
    expect(violations(workflow)).toEqual([])
  })
})

// The project's own workflows follow the same rules (none of them can assume an AWS role).
describe.each(fs.readdirSync(WORKFLOWS).filter(name => /\.ya?ml$/.test(name)))(
  '.github/workflows/%s',
  file => {
    it('follows the rules', () => {
      expect(violations(loadWorkflow(WORKFLOWS, file))).toEqual([])
    })
  }
)

describe('the examples show what the README promises', () => {
  const load = (file: string): Workflow => loadWorkflow(EXAMPLES, file)

  it('sign.yml builds without AWS access and passes the build to the signing job as an artifact', () => {
    const { jobs } = load('sign.yml')
    expect(canUseOidc(jobs.build)).toBe(false)
    expect(usesOf(jobs.build).some(uses => uses.startsWith('actions/upload-artifact@'))).toBe(true)
    expect(canUseOidc(jobs.sign)).toBe(true)
    expect(usesOf(jobs.sign).some(uses => uses.startsWith('actions/download-artifact@'))).toBe(true)
  })

  it('lambda.yml deploys the exact version Signer wrote: signed-bucket, signed-key and signed-version-id', () => {
    const text = fs.readFileSync(path.join(EXAMPLES, 'lambda.yml'), 'utf8')
    const { jobs } = load('lambda.yml')
    expect(jobs.sign.outputs).toMatchObject({
      'signed-bucket': '${{ steps.sign.outputs.signed-bucket }}',
      'signed-key': '${{ steps.sign.outputs.signed-key }}',
      'signed-version-id': '${{ steps.sign.outputs.signed-version-id }}'
    })
    const deploy = jobs.deploy.steps?.find(step => step.run?.includes('update-function-code'))
    expect(deploy?.env?.SIGNED_VERSION).toBe('${{ needs.sign.outputs.signed-version-id }}')
    expect(deploy?.run).toMatch(
      /update-function-code[^\n]*\\\n\s+--s3-bucket "\$SIGNED_BUCKET" --s3-key "\$SIGNED_KEY" --s3-object-version "\$SIGNED_VERSION"/
    )
    expect(text).toContain('UntrustedArtifactOnDeployment=Enforce')
    expect(jobs.deploy.environment).toBeDefined()
  })

  it('matrix.yml signs in shards, then merges their manifests in a job without AWS access', () => {
    const { jobs } = load('matrix.yml')
    const steps = (job: Job) => JSON.stringify(job.steps)
    expect(canUseOidc(jobs.sign)).toBe(true)
    expect(steps(jobs.sign)).toContain('"output-dir":"signed"')
    expect(steps(jobs.sign)).toContain('"name":"signed-${{ matrix.shard }}"')
    expect(assumesAwsRole(jobs.merge)).toBe(false)
    expect(steps(jobs.merge)).toContain('"pattern":"signed-*","path":"shards"')
    expect(steps(jobs.merge)).toContain('"mode":"merge","path":"shards/*/manifest.json"')
    expect(assumesAwsRole(jobs.publish)).toBe(false)
  })

  it('revoke.yml keeps its dry-run job and the protected environment of the real run', () => {
    const { jobs } = load('revoke.yml')
    expect(jobs.plan.environment).toBe('signing-incident-plan')
    expect(jobs.revoke.environment).toBe('signing-incident')
    expect(JSON.stringify(jobs.plan.steps)).toContain('"dry-run":true')
  })

  it('revoke.yml cannot lose its approval gate to a renamed step: require-approval with the plan', () => {
    const { jobs } = load('revoke.yml')
    const revoke = jobs.revoke.steps?.find(step => step.with?.mode === 'revoke')
    expect(revoke?.with).toMatchObject({
      'approved-job-ids': '${{ needs.plan.outputs.planned-job-ids }}',
      'require-approval': true
    })
    expect(jobs.plan.outputs?.['planned-job-ids']).toBe('${{ steps.plan.outputs.planned-job-ids }}')
  })

  it.each(files)('%s: every sign step names the bucket owner it expects', file => {
    const signSteps = Object.values(load(file).jobs)
      .flatMap(job => job.steps ?? [])
      .filter(
        step => step.uses?.startsWith('owner/aws-signer-action@') && (step.with?.mode ?? 'sign') === 'sign'
      )
    // ACCOUNT_ID: the placeholder of the stack's account (README, AWS set-up).
    for (const step of signSteps)
      expect(step.with?.['expected-bucket-owner']).toMatch(/^(\d{12}|ACCOUNT_ID)$/)
  })

  it.each(files)(
    '%s: protects its environments with required reviewers, not a tag or branch rule alone',
    file => {
      const text = fs.readFileSync(path.join(EXAMPLES, file), 'utf8')
      const environments = Object.values(load(file).jobs).filter(job => job.environment && canUseOidc(job))
      if (environments.length > 0) expect(text).toMatch(/required reviewers/)
      expect(text).not.toMatch(/reviewers,? or (deployment )?(tag|branch)/i)
    }
  )
})

describe('README and docs/', () => {
  const DOCS = path.join(__dirname, '../../docs')
  const readme = [
    path.join(__dirname, '../../README.md'),
    ...fs.readdirSync(DOCS).map(name => path.join(DOCS, name))
  ]
    .filter(file => file.endsWith('.md'))
    .map(file => fs.readFileSync(file, 'utf8'))
    .join('\n')
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map(([, block]) => block)

  it('grants the attest snippet its permissions on the signing job only', () => {
    const snippet = blocks.find(block => block.includes('actions/attest-build-provenance@'))
    const workflow = yaml.load(snippet ?? '') as Workflow
    expect(workflow.permissions).toEqual({})
    const [signing, ...others] = Object.entries(workflow.jobs).filter(([, job]) =>
      usesOf(job).some(uses => uses.startsWith('actions/attest-build-provenance@'))
    )
    expect(others).toEqual([])
    const [, job] = signing
    expect(job.permissions).toMatchObject({ 'id-token': 'write', attestations: 'write' })
    expect(job.environment).toBeDefined()
  })

  it('sets expected-bucket-owner in every sign snippet, and asks for required reviewers', () => {
    const signSnippets = blocks.filter(
      block => block.includes('owner/aws-signer-action@') && block.includes('source-bucket:')
    )
    expect(signSnippets.length).toBeGreaterThan(0)
    for (const block of signSnippets) expect(block).toMatch(/expected-bucket-owner: ('\d{12}'|ACCOUNT_ID)/)
    expect(readme).toMatch(/required reviewers/)
    expect(readme).not.toMatch(/reviewers,? or (deployment )?(tag|branch)/i)
  })
})

/** The steps of this action in sign mode (its `uses:` names the action, whatever the owner). */
function signSteps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap(job =>
    (job.steps ?? []).filter(
      step =>
        /\/aws-signer-action@/.test(step.uses ?? '') &&
        [undefined, 'sign'].includes(step.with?.mode as string | undefined) &&
        typeof step.with?.path === 'string'
    )
  )
}

/** The kinds of file a path input names: the extensions of its include lines. */
function artifactKinds(pathInput: string): string[] {
  const lines = pathInput
    .split('\n')
    .map(line => line.trim())
    .filter(line => line !== '' && !/^[!#]/.test(line))
  return [...new Set(lines.map(line => path.extname(line.replace(/\$\{\{.*?\}\}/g, 'x')).toLowerCase()))]
}

// A profile has one platform, and the Lambda platform fails every file that is not a zip: one sign step
// signs one kind of artifact, and a step per profile signs the others.
describe('every sign step of the examples signs one kind of artifact', () => {
  it('tells kinds apart', () => {
    expect(artifactKinds('dist/function.zip\nfirmware/*.bin')).toEqual(['.zip', '.bin'])
    expect(artifactKinds('dist/*.zip\n!dist/test.zip\n# comment')).toEqual(['.zip'])
  })

  const steps = files.flatMap(file =>
    signSteps(loadWorkflow(EXAMPLES, file)).map(step => [file, String(step.with?.path)] as const)
  )

  it('finds the sign steps', () => {
    expect(steps.length).toBeGreaterThan(1)
  })

  it.each(steps)('%s: %s', (_file, pathInput) => {
    expect(artifactKinds(pathInput)).toHaveLength(1)
  })
})
