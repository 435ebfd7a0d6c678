#!/usr/bin/env bash
# Re-fetch the vendored front-end files from the npm registry (never a CDN). Versions are pinned here
# and in src/xhht/web/static/vendor/VENDOR.md; run by hand when upgrading, then commit the result.
set -euo pipefail
dest="$(cd "$(dirname "$0")/.." && pwd)/src/xhht/web/static/vendor"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent @picocss/pico@2.1.1 htmx.org@2.0.11 chart.js@4.6.1 >/dev/null
for f in *.tgz; do mkdir "x-$f"; tar xzf "$f" -C "x-$f"; done
cp x-picocss-pico-2.1.1.tgz/package/css/pico.min.css x-picocss-pico-2.1.1.tgz/package/LICENSE.md "$dest/pico/"
cp x-htmx.org-2.0.11.tgz/package/dist/htmx.min.js "$dest/htmx/"; cp x-htmx.org-2.0.11.tgz/package/LICENSE "$dest/htmx/"
cp x-chart.js-4.6.1.tgz/package/dist/chart.umd.min.js x-chart.js-4.6.1.tgz/package/dist/chart.umd.min.js.map \
  x-chart.js-4.6.1.tgz/package/LICENSE.md "$dest/chartjs/"  # the map too: collectstatic follows its sourceMappingURL
echo "vendored into $dest"
