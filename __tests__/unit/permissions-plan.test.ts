import {
  applyChanges,
  clashMessage,
  derivedStatementId,
  namesPrincipal,
  planChange,
  planLines
} from '../../src/permissions/plan'
import { Policy, Statement } from '../../src/permissions/types'

const PARTNER = '111122223333'
const DEPLOY = '444455556666'

function policy(...statements: Statement[]): Policy {
  return { revisionId: 'rev-1', statements, pages: 1 }
}

const sign = (statementId: string, principal = PARTNER, extra: Partial<Statement> = {}): Statement => ({
  statementId,
  principal,
  action: 'signer:StartSigningJob',
  ...extra
})

describe('derivedStatementId', () => {
  it('names the action and the principal, so the same grant gets the same id', () => {
    expect(derivedStatementId({ principal: PARTNER, action: 'signer:StartSigningJob' })).toBe(
      'StartSigningJob-111122223333'
    )
    expect(
      derivedStatementId({
        principal: `arn:aws:iam::${DEPLOY}:role/ci/release`,
        action: 'signer:SignPayload'
      })
    ).toBe('SignPayload-444455556666-role-ci-release')
    expect(
      derivedStatementId({
        principal: PARTNER,
        action: 'signer:GetSigningProfile',
        profileVersion: 'AbCdE12345'
      })
    ).toBe('GetSigningProfile-111122223333-AbCdE12345')
  })

  it('keeps a long id to 64 characters, made unique by a hash of the whole content', () => {
    const long = (name: string) =>
      derivedStatementId({
        principal: `arn:aws:iam::${DEPLOY}:role/${name}`,
        action: 'signer:StartSigningJob'
      })
    const a = long(`${'x'.repeat(80)}a`)
    const b = long(`${'x'.repeat(80)}b`)
    expect(a).toHaveLength(64)
    expect(a).toMatch(/^StartSigningJob-444455556666-role-x+-[0-9a-f]{12}$/)
    expect(a).not.toBe(b)
  })
})

describe('namesPrincipal', () => {
  it('an account id names itself and every IAM principal of that account', () => {
    expect(namesPrincipal(DEPLOY, DEPLOY)).toBe(true)
    expect(namesPrincipal(`arn:aws:iam::${DEPLOY}:root`, DEPLOY)).toBe(true)
    expect(namesPrincipal(`arn:aws:iam::${DEPLOY}:role/release`, DEPLOY)).toBe(true)
    expect(namesPrincipal(`arn:aws-us-gov:iam::${DEPLOY}:user/ci`, DEPLOY)).toBe(true)
    expect(namesPrincipal(PARTNER, DEPLOY)).toBe(false)
    expect(namesPrincipal(`arn:aws:iam::${PARTNER}:role/${DEPLOY}`, DEPLOY)).toBe(false)
  })

  it('an ARN names itself only', () => {
    const role = `arn:aws:iam::${DEPLOY}:role/release`
    expect(namesPrincipal(role, role)).toBe(true)
    expect(namesPrincipal(DEPLOY, role)).toBe(false)
    expect(namesPrincipal(`arn:aws:iam::${DEPLOY}:role/other`, role)).toBe(false)
  })
})

describe('planChange: grant', () => {
  const wanted = sign('partner-sign')
  const grant = { operation: 'grant' as const, statement: wanted, derivedId: false }

  it('adds a statement that is not there', () => {
    expect(planChange(grant, policy(sign('other', DEPLOY)))).toEqual({
      changes: [{ kind: 'add', statement: wanted }],
      notices: []
    })
  })

  it('the same statement with the same content is already granted: no change, a notice', () => {
    const plan = planChange(grant, policy({ ...wanted }))
    expect(plan.changes).toEqual([])
    expect(plan.clash).toBeUndefined()
    expect(plan.notices).toEqual([
      `Already granted: statement partner-sign: ${PARTNER} may signer:StartSigningJob`
    ])
  })

  it('the same content under another id is already granted too', () => {
    const plan = planChange(grant, policy(sign('legacy-id')))
    expect(plan.changes).toEqual([])
    expect(plan.notices[0]).toMatch(/^Already granted under another statement id: legacy-id: /)
  })

  it('a profile version makes other content: a statement for every version does not grant it', () => {
    const versioned = { ...grant, statement: sign('v', PARTNER, { profileVersion: 'AbCdE12345' }) }
    expect(planChange(versioned, policy(sign('all-versions'))).changes).toHaveLength(1)
  })

  it('the same id with other content is a clash that names both', () => {
    const existing = sign('partner-sign', PARTNER, { action: 'signer:GetSigningProfile' })
    const plan = planChange(grant, policy(existing))
    expect(plan.changes).toEqual([])
    expect(plan.clash).toEqual({ existing, wanted })
    expect(clashMessage('release_signing', plan.clash!)).toBe(
      'Statement partner-sign already exists on profile release_signing with other content. ' +
        `Existing: partner-sign: ${PARTNER} may signer:GetSigningProfile. ` +
        `Wanted: partner-sign: ${PARTNER} may signer:StartSigningJob. ` +
        'Remove it first, or grant under another statement-id.'
    )
  })
})

describe('planChange: remove', () => {
  const statements = [
    sign('deploy-sign', DEPLOY),
    sign('deploy-read', DEPLOY, { action: 'signer:GetSigningProfile' }),
    sign('deploy-role', `arn:aws:iam::${DEPLOY}:role/release`, { profileVersion: 'AbCdE12345' }),
    sign('partner', PARTNER)
  ]

  it('by id: present ones are removed, absent ones are notices', () => {
    const plan = planChange(
      { operation: 'remove', by: 'statement-id', statementIds: ['partner', 'ghost'] },
      policy(...statements)
    )
    expect(plan.changes).toEqual([{ kind: 'remove', statement: statements[3] }])
    expect(plan.notices).toEqual(['Statement ghost is not in the policy: nothing to remove'])
  })

  it('by principal: every statement naming the account, in listing order', () => {
    const plan = planChange(
      { operation: 'remove', by: 'principal', principal: DEPLOY },
      policy(...statements)
    )
    expect(plan.changes.map(c => c.statement.statementId)).toEqual([
      'deploy-sign',
      'deploy-read',
      'deploy-role'
    ])
    expect(plan.changes.every(c => c.kind === 'remove')).toBe(true)
  })

  it('by principal, narrowed by action and profile version', () => {
    const byAction = planChange(
      { operation: 'remove', by: 'principal', principal: DEPLOY, action: 'signer:GetSigningProfile' },
      policy(...statements)
    )
    expect(byAction.changes.map(c => c.statement.statementId)).toEqual(['deploy-read'])
    const byVersion = planChange(
      { operation: 'remove', by: 'principal', principal: DEPLOY, profileVersion: 'AbCdE12345' },
      policy(...statements)
    )
    expect(byVersion.changes.map(c => c.statement.statementId)).toEqual(['deploy-role'])
  })

  it('by principal with no statement naming it: a notice saying what was looked for', () => {
    const plan = planChange(
      { operation: 'remove', by: 'principal', principal: '777788889999', action: 'signer:SignPayload' },
      policy(...statements)
    )
    expect(plan).toEqual({
      changes: [],
      notices: ['No statement names 777788889999 for signer:SignPayload: nothing to remove']
    })
  })
})

describe('applyChanges and planLines', () => {
  it('removes and adds, keeping the listing order', () => {
    const a = sign('a')
    const b = sign('b', DEPLOY)
    const c = sign('c')
    expect(
      applyChanges(
        [a, b],
        [
          { kind: 'remove', statement: a },
          { kind: 'add', statement: c }
        ]
      )
    ).toEqual([b, c])
  })

  it('says what would be done in a dry run, and when nothing changes', () => {
    const plan = planChange(
      { operation: 'remove', by: 'principal', principal: DEPLOY },
      policy(sign('d', DEPLOY))
    )
    expect(planLines('p1', plan, true)).toEqual([
      `would remove statement d: ${DEPLOY} may signer:StartSigningJob`
    ])
    expect(planLines('p1', plan, false)).toEqual([`remove statement d: ${DEPLOY} may signer:StartSigningJob`])
    const none = planChange({ operation: 'remove', by: 'statement-id', statementIds: ['x'] }, policy())
    expect(planLines('p1', none, false)).toEqual([
      'Statement x is not in the policy: nothing to remove',
      'No change to the permissions of profile p1'
    ])
  })
})
