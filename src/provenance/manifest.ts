/** What a manifest.json holds, read by merge (the shards) and verify (a sign run's record of its jobs). */

/** A lowercase hex SHA-256, as manifests and records write one. */
export const SHA256_HEX = /^[0-9a-f]{64}$/

/**
 * The name under output-dir of an artifact's signed copy, as sign mode downloads it: the artifact's
 * workspace-relative path, or the key's last segment for an s3:// source object.
 */
export function signedFileName(artifactPath: string): string {
  return artifactPath.startsWith('s3://') ? (artifactPath.split('/').pop() as string) : artifactPath
}
