#!/usr/bin/env bash
# The release workflow's decision, in one place a test runs against a real git repository: which commit the
# major tag may move to. Run in a checkout of the release tag with every branch and tag fetched.
#   TAG       the release tag, vX.Y.Z (checked by the caller)
#   MAJOR     its major tag, vX
#   MAIN_REF  the branch releases come from (default origin/main)
# Writes to $GITHUB_OUTPUT: sha (the commit checked: the tag moves to this SHA, not to a name resolved again
# later) and previous (what MAJOR's ref held, empty when it did not exist: the move refuses if it changed).
# Fails when the commit is not on MAIN_REF, or when MAJOR already points to a higher version.
set -euo pipefail
: "${TAG:?}" "${MAJOR:?}" "${GITHUB_OUTPUT:?}"
main_ref="${MAIN_REF:-origin/main}"

sha=$(git rev-parse --verify "refs/tags/$TAG^{commit}")
if [ "$(git rev-parse HEAD)" != "$sha" ]; then
  echo "::error::the checkout is not the commit of $TAG ($sha)"
  exit 1
fi
if ! git merge-base --is-ancestor "$sha" "$main_ref"; then
  echo "::error::$TAG ($sha) is not on $main_ref: only a commit of $main_ref is released"
  exit 1
fi

previous=""
if previous=$(git rev-parse -q --verify "refs/tags/$MAJOR"); then
  current=$(git rev-parse "$MAJOR^{commit}")
  # The highest vX.Y.Z tag on the commit MAJOR points to is the release it stands for.
  pointed=$(git tag --points-at "$current" --list "$MAJOR.*" | grep -E "^$MAJOR\.[0-9]+\.[0-9]+$" | sort -V | tail -n 1 || true)
  if [ -z "$pointed" ]; then
    echo "::error::$MAJOR points to $current, which has no $MAJOR.Y.Z tag: move $MAJOR by hand"
    exit 1
  fi
  highest=$(printf '%s\n%s\n' "$pointed" "$TAG" | sort -V | tail -n 1)
  if [ "$pointed" != "$TAG" ] && [ "$highest" != "$TAG" ]; then
    echo "::error::$MAJOR points to $pointed, newer than $TAG: the major tag never moves backwards"
    exit 1
  fi
else
  previous=""
fi

echo "sha=$sha" >> "$GITHUB_OUTPUT"
echo "previous=$previous" >> "$GITHUB_OUTPUT"
echo "$TAG is $sha on $main_ref; $MAJOR: ${previous:-none} -> $sha"
