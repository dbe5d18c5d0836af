import { AwsClients } from '../aws'
import { SignConfig } from '../config'
import { RunContext } from '../context'

export async function runSign(
  _config: SignConfig,
  _clients: AwsClients,
  _context: RunContext
): Promise<void> {
  throw new Error('sign mode is not built yet')
}
