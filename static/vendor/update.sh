#!/usr/bin/env bash
# Fetch the vendored front-end files from the npm registry and copy them here with their licences.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm init -y >/dev/null
npm install --no-audit --no-fund bootstrap@5.3.8 htmx.org@2.0.11 bootstrap-icons@1.13.2 >/dev/null
N=node_modules
cp $N/bootstrap/dist/css/bootstrap.min.css $N/bootstrap/dist/js/bootstrap.bundle.min.js $N/bootstrap/LICENSE "$here/bootstrap/"
# No source maps (922 KB that production would serve to nobody): the files say nothing of them either, or the
# manifest storage of collectstatic would look for them.
sed -i '/sourceMappingURL=/d' "$here/bootstrap/bootstrap.min.css" "$here/bootstrap/bootstrap.bundle.min.js"
cp $N/htmx.org/dist/htmx.min.js $N/htmx.org/LICENSE "$here/htmx/"
cp $N/bootstrap-icons/font/bootstrap-icons.min.css $N/bootstrap-icons/LICENSE "$here/bootstrap-icons/"
cp $N/bootstrap-icons/font/fonts/bootstrap-icons.woff{,2} "$here/bootstrap-icons/fonts/"
echo "Vendored files updated in $here"
