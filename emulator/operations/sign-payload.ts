/**
 * SignPayload (`POST /signing-jobs/with-payload`): signs a Notary payload with a container (Notation)
 * profile and answers the signature envelope, as botocore's model and the API reference describe it.
 * "signer:SignPayload. This action isn't supported for AWS Lambda workflows" (AddProfilePermission's
 * `action`); the only documented `payloadFormat` is Notary's, so the IoT platforms are refused too
 * (inferred). Access across accounts needs a `signer:SignPayload` permission. The job is not listed by
 * ListSigningJobs (AWS documents no such listing for it).
 */
import * as crypto from 'node:crypto'
import { profileFor } from '../access'
import { profileVersionArn } from '../arns'
import { Handler } from '../context'
import {
  createNotaryJws,
  NOTARY_PAYLOAD_TYPE,
  PROFILE_VERSION_ATTRIBUTE,
  SIGNING_JOB_ATTRIBUTE
} from '../crypto/notary-jws'
import { validation } from '../errors'
import { NOTATION_PLATFORM } from '../platforms'
import { addValidity } from '../validity'
import { constraintError, Input, readAccountId, readProfileName, readString } from '../validation'

/** The model's `Payload` blob: base64 in the JSON body, 1 to 4096 bytes once decoded. */
function readPayload(input: Input): Buffer {
  const encoded = readString(input, 'payload', { required: true })
  if (encoded.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(encoded))
    throw validation(`Member 'payload' must be base64-encoded binary data.`)
  const payload = Buffer.from(encoded, 'base64')
  if (payload.length < 1 || payload.length > 4096)
    throw constraintError('payload', `${payload.length} bytes`, 'Member must have length between 1 and 4096')
  return payload
}

export const signPayload: Handler = ({ caller, services }, input) => {
  const profileName = readProfileName(input)
  const profileOwner = readAccountId(input, 'profileOwner')
  const payload = readPayload(input)
  const payloadFormat = readString(input, 'payloadFormat', { required: true })
  if (payloadFormat !== NOTARY_PAYLOAD_TYPE)
    throw validation(
      `payloadFormat ${payloadFormat} is not supported: the single valid type is ${NOTARY_PAYLOAD_TYPE}.`
    )
  const profile = profileFor(services.store, caller, profileName, profileOwner, 'signer:SignPayload')
  if (profile.status !== 'Active')
    throw validation(
      `The signing profile ${profileName} is ${profile.status}: only an Active profile can sign.`
    )
  if (profile.platformId !== NOTATION_PLATFORM)
    throw validation(
      `SignPayload not supported for platform ${profile.platformId}: it signs with ${NOTATION_PLATFORM} profiles only.`
    )
  const { region } = services.settings
  const jobId = crypto.randomUUID()
  const now = services.now()
  const versionArn = profileVersionArn(region, profile.owner, profile.profileName, profile.profileVersion)
  const jobArn = `arn:aws:signer:${region}:${profile.owner}:/signing-jobs/${jobId}`
  const envelope = createNotaryJws({
    payload,
    privateKeyPem: profile.key.privateKeyPem,
    certificatePem: profile.key.certificatePem,
    signingTime: now,
    expiry: addValidity(now, profile.signatureValidityPeriod),
    profileVersionArn: versionArn,
    jobArn
  })
  return {
    jobId,
    jobOwner: profile.owner,
    metadata: { [PROFILE_VERSION_ATTRIBUTE]: versionArn, [SIGNING_JOB_ATTRIBUTE]: jobArn },
    signature: Buffer.from(JSON.stringify(envelope)).toString('base64')
  }
}
