import { GetFunctionConfigurationCommand, LambdaClient, paginateListFunctions } from '@aws-sdk/client-lambda'
import { errorMessage } from '../errors'
import { mapLimit } from '../concurrency'
import { FunctionRead } from './types'

/**
 * Every function of the Region (their unqualified, $LATEST, configuration): ListFunctions returns
 * SigningJobArn and SigningProfileVersionArn with each, so no per-function call is needed. A failed listing
 * throws: an audit that cannot list the functions has nothing it can vouch for.
 */
export async function listFunctions(lambda: LambdaClient): Promise<FunctionRead[]> {
  const functions: FunctionRead[] = []
  for await (const page of paginateListFunctions({ client: lambda }, {})) {
    for (const fn of page.Functions ?? []) {
      functions.push({
        name: fn.FunctionName ?? fn.FunctionArn ?? '(unnamed)',
        kind: 'found',
        signingJobArn: fn.SigningJobArn,
        signingProfileVersionArn: fn.SigningProfileVersionArn
      })
    }
  }
  return functions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** GetFunctionConfiguration of each named function (a qualifier in the name picks a version or alias). */
export function readFunctions(
  lambda: LambdaClient,
  names: readonly string[],
  concurrency: number
): Promise<FunctionRead[]> {
  return mapLimit(names, concurrency, async (name): Promise<FunctionRead> => {
    try {
      const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))
      return {
        name,
        kind: 'found',
        signingJobArn: fn.SigningJobArn,
        signingProfileVersionArn: fn.SigningProfileVersionArn
      }
    } catch (error) {
      return { name, kind: 'error', error: errorMessage(error) }
    }
  })
}
