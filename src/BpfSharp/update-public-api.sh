#!/bin/sh
# Rewrites PublicAPI.Shipped.txt to what the library declares public now, from the public-API analyzer's own
# report (RS0016 names each undeclared symbol in the file's format). Run after a deliberate change of the public API
# and review the diff: it is the change users see. Usage: src/BpfSharp/update-public-api.sh
set -eu
cd "$(dirname "$0")"
printf '#nullable enable\n' > PublicAPI.Shipped.txt
printf '#nullable enable\n' > PublicAPI.Unshipped.txt
symbols=$(dotnet build --no-incremental -nologo 2>&1 | grep -oP "Symbol '\K.*(?=' is not part of the declared public API)" | sort -u)
printf '%s\n' "$symbols" >> PublicAPI.Shipped.txt
dotnet build -nologo -v q >/dev/null
echo "$(printf '%s\n' "$symbols" | wc -l) public symbols"
