import * as path from 'node:path'
import {
  PINNED_PACKAGES,
  VENV_DIR,
  basePython,
  installFailure,
  planTools,
  venvBin
} from '../../scripts/python-tools'

const VENV_PYTHON = venvBin(VENV_DIR, 'python')
const VENV_AWS = venvBin(VENV_DIR, 'aws')

describe('planTools: which Python tools the local stack uses', () => {
  it("uses the machine's python3 and aws when they are there", () => {
    expect(planTools({ python: 'python3', pythonHasMoto: true, awsOnPath: '/usr/bin/aws' })).toEqual({
      kind: 'use',
      python: 'python3',
      aws: '/usr/bin/aws'
    })
  })

  it('uses the virtualenv when python3 lacks moto and the virtualenv has it', () => {
    expect(
      planTools({
        python: 'python3',
        pythonHasMoto: false,
        awsOnPath: '/usr/bin/aws',
        venvPythonWithMoto: VENV_PYTHON
      })
    ).toEqual({ kind: 'use', python: VENV_PYTHON, aws: '/usr/bin/aws' })
  })

  it("takes the virtualenv's aws when the machine has none", () => {
    expect(
      planTools({
        python: 'python3',
        pythonHasMoto: true,
        venvPythonWithMoto: VENV_PYTHON,
        venvAws: VENV_AWS
      })
    ).toEqual({ kind: 'use', python: 'python3', aws: VENV_AWS })
  })

  it('installs into the virtualenv when python3 lacks moto, saying why', () => {
    expect(planTools({ python: 'python3', pythonHasMoto: false, awsOnPath: '/usr/bin/aws' })).toEqual({
      kind: 'install',
      python: 'python3',
      reason: 'python3 cannot import moto.server'
    })
  })

  it('installs when the AWS CLI is missing too, naming both', () => {
    const plan = planTools({ python: '/usr/bin/python3', pythonHasMoto: false })
    expect(plan).toEqual({
      kind: 'install',
      python: '/usr/bin/python3',
      reason: '/usr/bin/python3 cannot import moto.server, and the AWS CLI (aws) is not on PATH'
    })
  })

  it('says exactly what to install when there is no usable Python', () => {
    const plan = planTools({ pythonHasMoto: false, awsOnPath: '/usr/bin/aws' })
    expect(plan.kind).toBe('fail')
    const message = (plan as { message: string }).message
    expect(message).toContain('sudo apt-get install python3 python3-venv')
    expect(message).toContain("pip install 'moto[server]==5.2.1' 'awscli==1.45.11'")
  })
})

describe('installFailure', () => {
  it('names the step, keeps the end of its output and says what to install instead', () => {
    const output = ['line 1', 'line 2', 'ERROR: No matching distribution found for moto[server]==5.2.1'].join(
      '\n'
    )
    const message = installFailure('pip install', output)
    expect(message).toContain('Could not set up .venv-moto (pip install failed)')
    expect(message).toContain('No matching distribution found')
    expect(message).toContain(`pip install ${PINNED_PACKAGES.map(p => `'${p}'`).join(' ')}`)
    expect(message).not.toContain('python3-venv')
  })

  it('points at python3-venv when the venv module is what is missing', () => {
    const message = installFailure(
      'python3 -m venv',
      'The virtual environment was not created successfully because ensurepip is not available.'
    )
    expect(message).toContain('sudo apt-get install python3-venv')
  })
})

describe('where the tools are', () => {
  it('reads PYTHON, else python3', () => {
    expect(basePython({ PYTHON: '/opt/python/bin/python3.12' })).toBe('/opt/python/bin/python3.12')
    expect(basePython({})).toBe('python3')
  })

  it("finds the virtualenv's programs in bin/, or Scripts/ on Windows", () => {
    expect(venvBin('/p/.venv-moto', 'python', 'linux')).toBe(path.join('/p/.venv-moto', 'bin', 'python'))
    expect(venvBin('/p/.venv-moto', 'aws', 'win32')).toBe(path.join('/p/.venv-moto', 'Scripts', 'aws.exe'))
  })

  it('keeps the virtualenv inside the project', () => {
    expect(path.relative(path.join(__dirname, '../..'), VENV_DIR)).toBe('.venv-moto')
  })
})
