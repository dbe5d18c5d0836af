/** Operation name → handler. */
import type { Handler } from '../context'
import { describeSigningJob, listSigningJobs, revokeSignature, startSigningJob } from './jobs'
import { addProfilePermission, listProfilePermissions, removeProfilePermission } from './permissions'
import { getSigningPlatform, listSigningPlatforms } from './platforms'
import { getRevocationStatus } from './revocation-status'
import {
  cancelSigningProfile,
  getSigningProfile,
  listSigningProfiles,
  putSigningProfile,
  revokeSigningProfile
} from './profiles'
import { signPayload } from './sign-payload'
import { listTagsForResource, tagResource, untagResource } from './tags'

export const OPERATIONS: Record<string, Handler> = {
  AddProfilePermission: addProfilePermission,
  CancelSigningProfile: cancelSigningProfile,
  DescribeSigningJob: describeSigningJob,
  GetRevocationStatus: getRevocationStatus,
  GetSigningPlatform: getSigningPlatform,
  GetSigningProfile: getSigningProfile,
  ListProfilePermissions: listProfilePermissions,
  ListSigningJobs: listSigningJobs,
  ListSigningPlatforms: listSigningPlatforms,
  ListSigningProfiles: listSigningProfiles,
  ListTagsForResource: listTagsForResource,
  PutSigningProfile: putSigningProfile,
  RemoveProfilePermission: removeProfilePermission,
  RevokeSignature: revokeSignature,
  RevokeSigningProfile: revokeSigningProfile,
  SignPayload: signPayload,
  StartSigningJob: startSigningJob,
  TagResource: tagResource,
  UntagResource: untagResource
}
