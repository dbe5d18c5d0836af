import { hashFile } from './artifacts'

/**
 * Lowercase hex SHA-256 of a downloaded signed file, read as a stream (memory stays flat): what
 * subject-checksums lists, and what provenance records call the signed file's hash.
 */
export async function signedFileSha256(file: string): Promise<string> {
  return (await hashFile(file)).sha256
}
