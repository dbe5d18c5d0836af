import { AwsClients } from '../aws'
import { RevokeConfig } from '../config'
import { RunContext } from '../context'

export async function runRevoke(
  _config: RevokeConfig,
  _clients: AwsClients,
  _context: RunContext
): Promise<void> {
  throw new Error('revoke mode is not built yet')
}
