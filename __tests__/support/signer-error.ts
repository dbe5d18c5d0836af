import { SignerServiceException } from '@aws-sdk/client-signer'

/** The Signer error a call rejects with; fails the test when it resolves or rejects with something else. */
export async function failure(promise: Promise<unknown>): Promise<SignerServiceException> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught
  )
  if (!(error instanceof SignerServiceException))
    throw new Error(`expected a Signer error, got ${String(error)}`)
  return error
}
