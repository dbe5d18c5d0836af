/**
 * Signer's errors as AWS sends them: an HTTP status, the error name in `x-amzn-ErrorType` and a JSON
 * `{ message }` body. The SDK and botocore build the named exception from that header.
 */
export type SignerErrorName =
  | 'AccessDeniedException'
  | 'BadRequestException'
  | 'ConflictException'
  | 'InternalServiceErrorException'
  | 'NotFoundException'
  | 'ResourceNotFoundException'
  | 'ServiceLimitExceededException'
  | 'TooManyRequestsException'
  | 'ValidationException'
  // Not in Signer's model, but what an AWS restJson1 front end answers for these cases.
  | 'SerializationException'
  | 'UnknownOperationException'

export const ERROR_STATUS: Record<SignerErrorName, number> = {
  AccessDeniedException: 403,
  BadRequestException: 400,
  ConflictException: 409,
  InternalServiceErrorException: 500,
  NotFoundException: 404,
  ResourceNotFoundException: 404,
  ServiceLimitExceededException: 402,
  TooManyRequestsException: 429,
  ValidationException: 400,
  SerializationException: 400,
  UnknownOperationException: 404
}

export class SignerError extends Error {
  readonly status: number

  constructor(
    readonly errorType: SignerErrorName,
    message: string,
    status?: number
  ) {
    super(message)
    this.name = errorType
    this.status = status ?? ERROR_STATUS[errorType]
  }
}

export const validation = (message: string): SignerError => new SignerError('ValidationException', message)
export const notFound = (message: string): SignerError =>
  new SignerError('ResourceNotFoundException', message)
export const conflict = (message: string): SignerError => new SignerError('ConflictException', message)
export const accessDenied = (message: string): SignerError =>
  new SignerError('AccessDeniedException', message)

export function isErrorName(value: string): value is SignerErrorName {
  return Object.prototype.hasOwnProperty.call(ERROR_STATUS, value)
}
