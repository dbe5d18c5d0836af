import * as path from 'node:path'

/**
 * target's path relative to parent, or undefined when target is parent itself or lies outside it.
 * A name that merely starts with '..' ('..cache/app.zip') is inside.
 */
export function relativeInside(
  parent: string,
  target: string,
  pathApi: path.PlatformPath = path
): string | undefined {
  const relative = pathApi.relative(parent, target)
  const outside = relative === '..' || relative.startsWith(`..${pathApi.sep}`) || pathApi.isAbsolute(relative)
  return relative === '' || outside ? undefined : relative
}
