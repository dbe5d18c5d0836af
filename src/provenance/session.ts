/**
 * The role session in Signer's requestedBy. A job started with assumed-role credentials names the session:
 * arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION (IAM user guide, reference_identifiers, "assumed-role
 * session ARN"). configure-aws-credentials sets the session name from its role-session-name input, so a
 * workflow that passes sign-<run id>-<attempt> has each run's jobs requested by a session naming the run.
 */
const ASSUMED_ROLE = /^arn:[a-z-]+:sts::\d{12}:assumed-role\/[\w+=,.@-]+\/([\w+=,.@-]{2,64})$/

export function sessionNameOf(arn: string | null | undefined): string | undefined {
  return arn ? ASSUMED_ROLE.exec(arn)?.[1] : undefined
}

/** The session name holds the run id as a whole number of its own: sign-4711-2 names run 4711, not 471. */
export function namesRun(sessionName: string, runId: string): boolean {
  return /^\d+$/.test(runId) && sessionName.split(/\D+/).includes(runId)
}
