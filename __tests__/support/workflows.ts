import * as fs from 'node:fs'
import * as path from 'node:path'
import * as yaml from 'js-yaml'

/** The parts of a GitHub Actions workflow file the tests of examples/ and .github/workflows/ read. */
export interface Step {
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, string>
}

export interface Job {
  needs?: string | string[]
  outputs?: Record<string, string>
  environment?: string | { name: string }
  permissions?: Record<string, string> | string
  uses?: string
  steps?: Step[]
}

export interface Workflow {
  on: unknown
  permissions?: unknown
  jobs: Record<string, Job>
}

export const loadWorkflow = (dir: string, file: string): Workflow =>
  yaml.load(fs.readFileSync(path.join(dir, file), 'utf8')) as Workflow
