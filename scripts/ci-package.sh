#!/usr/bin/env bash
# Builds the production bundles and packages the extension as ntk-horizon-<version>.vsix in the
# repository root. @vscode/vsce 4.1 requires Node 22 or later, so when the Node on PATH is older
# this uses the Node 24 that scripts/install-code-server.sh installs.
#
# Usage: scripts/ci-package.sh    (prints the path of the .vsix as its last line)
set -euo pipefail

cd "$(dirname "$0")/.."
node_for_vsce=node
if (($(node -p 'process.versions.node.split(".")[0]') < 22)); then
	node_for_vsce=.vscode-test/code-server/bin/node
	if [[ ! -x "$node_for_vsce" ]]; then
		echo "ci-package: ERROR: @vscode/vsce needs Node >= 22 and $node_for_vsce is missing;" \
			'run scripts/install-code-server.sh first' >&2
		exit 1
	fi
fi

node esbuild.mjs --production
version="$(node -p 'require("./package.json").version')"
vsix="ntk-horizon-$version.vsix"
rm -f "$vsix"
# The bundles in dist/ contain every dependency, so node_modules is not packaged. package.json has
# no repository field, so the README's relative image links stay relative and resolve against
# docs/images/ inside the package.
"$node_for_vsce" node_modules/@vscode/vsce/vsce package --no-dependencies --allow-missing-repository \
	--no-rewrite-relative-links --out "$vsix" >&2
echo "$PWD/$vsix"
