#!/usr/bin/env bash
# Prints the path of a working Python interpreter of the given version (e.g. 3.10),
# or explains what is missing and exits 1.
# Looks at: $PYTHON_<major><minor> if set, pythonX.Y on PATH, pyenv versions, /usr/bin, /usr/local/bin.
set -u
version="${1:?usage: find_python.sh 3.10}"
short="${version//./}"
override_var="PYTHON_${short}"

works() {
  [ -n "$1" ] && [ -x "$1" ] || command -v "$1" >/dev/null 2>&1 || return 1
  "$1" -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$version' else 1)" >/dev/null 2>&1
}

candidates=()
[ -n "${!override_var:-}" ] && candidates+=("${!override_var}")
candidates+=("python$version")
if command -v pyenv >/dev/null 2>&1; then
  root="$(pyenv root 2>/dev/null)"
  while read -r v; do
    candidates+=("$root/versions/$v/bin/python$version")
  done < <(pyenv versions --bare 2>/dev/null | grep -E "^${version//./\\.}\.[0-9]+$" | sort -rV)
fi
candidates+=("/usr/local/bin/python$version" "/usr/bin/python$version")

for candidate in "${candidates[@]}"; do
  if works "$candidate"; then
    command -v "$candidate"
    exit 0
  fi
done

cat >&2 <<MSG
ERROR: no working Python $version interpreter was found.
  Looked at: ${candidates[*]}
  Rasa Open Source 3.6 needs Python 3.10; our other services need Python 3.11.
  Install it (for example: pyenv install ${version}.13) or point $override_var at it:
    make run $override_var=/path/to/python$version
MSG
exit 1
