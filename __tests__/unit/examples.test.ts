import * as fs from 'node:fs'
import * as path from 'node:path'
import * as yaml from 'js-yaml'

/**
 * The example workflows are meant to be copied: each parses, and follows the rules that keep a signing role
 * away from build steps and unreviewed jobs (README, examples/).
 */

const EXAMPLES = path.join(__dirname, '../../examples')
const WORKFLOWS = path.join(__dirname, '../../.github/workflows')

const loadWorkflow = (dir: string, file: string): Workflow =>
  yaml.load(fs.readFileSync(path.join(dir, file), 'utf8')) as Workflow

interface Step {
  uses?: string
  run?: string
}

interface Job {
  environment?: string | { name: string }
  permissions?: Record<string, string> | string
  uses?: string
  steps?: Step[]
}

interface Workflow {
  on: unknown
  permissions?: unknown
  jobs: Record<string, Job>
}

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
    }
  }
  return problems
}

const files = fs.readdirSync(EXAMPLES).filter(name => /\.ya?ml$/.test(name))

describe('the rules catch what they are meant to', () => {
  const safe: Workflow = {
    on: 'push',
    permissions: {},
    jobs: {
      build: {
        permissions: { contents: 'read' },
        steps: [{ uses: `actions/checkout@${'a'.repeat(40)}` }, { run: 'make dist' }]
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

  it('lambda.yml deploys the signed object from the outputs signed-bucket and signed-key', () => {
    const text = fs.readFileSync(path.join(EXAMPLES, 'lambda.yml'), 'utf8')
    expect(text).toContain('steps.sign.outputs.signed-bucket')
    expect(text).toContain('steps.sign.outputs.signed-key')
    expect(text).toMatch(
      /update-function-code[^\n]*\\\n\s+--s3-bucket "\$SIGNED_BUCKET" --s3-key "\$SIGNED_KEY"/
    )
    expect(text).toContain('UntrustedArtifactOnDeployment=Enforce')
    const { jobs } = load('lambda.yml')
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
})
