import * as path from 'node:path'
import { underDir } from '../../src/merge/files'
import { relativeInside } from '../../src/paths'
import { workspaceRelative } from '../../src/sign/artifacts'
import { signedPath } from '../../src/sign/download'
import { sourceKey } from '../../src/sign/source'
import { clientRequestToken } from '../../src/sign/token'

/** A matrix may span Windows and Linux runners: what the action derives from a path must not differ. */
describe('paths on a Windows runner', () => {
  const windows = { workspace: 'D:\\a\\app\\app', file: 'D:\\a\\app\\app\\dist\\lambda\\function.zip' }
  const linux = {
    workspace: '/home/runner/work/app/app',
    file: '/home/runner/work/app/app/dist/lambda/function.zip'
  }
  const sha256 = 'c'.repeat(64)

  it("names an artifact with '/' whatever the OS", () => {
    expect(workspaceRelative(windows.file, windows.workspace, path.win32)).toBe('dist/lambda/function.zip')
    expect(workspaceRelative(linux.file, linux.workspace, path.posix)).toBe('dist/lambda/function.zip')
    expect(workspaceRelative('E:\\elsewhere\\function.zip', windows.workspace, path.win32)).toBeUndefined()
    expect(relativeInside(windows.workspace, 'D:\\a\\app\\app2\\x.zip', path.win32)).toBeUndefined()
  })

  it('gives the same source key and token, so a re-run on another OS finds the same job', () => {
    const onWindows = sourceKey('unsigned/', { sha256, path: windows.file }, path.win32)
    const onLinux = sourceKey('unsigned/', { sha256, path: linux.file }, path.posix)
    expect(onWindows).toBe(`unsigned/${sha256}/function.zip`)
    expect(onWindows).toBe(onLinux)
    const token = (sourceKeyValue: string) =>
      clientRequestToken({
        repository: 'acme/app',
        commit: 'a'.repeat(40),
        profileName: 'release',
        sourceBucket: 'b',
        sourceKey: sourceKeyValue,
        sha256,
        destinationBucket: 'b',
        destinationPrefix: 'signed/'
      })
    expect(token(onWindows)).toBe(token(onLinux))
  })

  it('downloads into a Windows output-dir, keeping the relative folders', () => {
    expect(signedPath('D:\\a\\app\\app\\signed', 'dist/lambda/function.zip', path.win32)).toBe(
      'D:\\a\\app\\app\\signed\\dist\\lambda\\function.zip'
    )
    expect(() => signedPath('D:\\a\\app\\app\\signed', '../escape.zip', path.win32)).toThrow(
      'outside output-dir'
    )
    expect(underDir('D:\\release', 'dist/app.zip', path.win32)).toBe('D:\\release\\dist\\app.zip')
  })
})
