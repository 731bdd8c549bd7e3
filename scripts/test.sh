#!/usr/bin/env bash
# Installs what the test suite needs, then runs all of it: lint, type check, unit tests, the store contract on
# SQLite and PostgreSQL, API, CLI and end-to-end tests. Ends with a line "N passed, N failed".
#
# Node.js: the `node` on PATH when it is 22.12 or later; otherwise Node.js 24 LTS from the npm registry
# (scripts/node.sh), used for this run only.
#
# PostgreSQL: set AUTOIR_TEST_DATABASE_URL=postgres://user@host:port/db to use a running server (each run works in
# a schema of its own); otherwise the tests start a throwaway cluster with Debian's initdb/pg_ctl.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=()
if [ -z "${AUTOIR_TEST_DATABASE_URL:-}" ] && ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  packages+=(postgresql)
fi
if ! command -v make >/dev/null || ! command -v g++ >/dev/null || ! command -v python3 >/dev/null; then
  packages+=(build-essential python3) # better-sqlite3 builds from source when no prebuilt binary can be fetched
fi
if ! command -v openssl >/dev/null; then
  packages+=(openssl) # the HTTPS test makes a throwaway certificate
fi
if ! command -v nft >/dev/null || ! command -v ip >/dev/null; then
  packages+=(nftables iproute2) # the host agent isolates a host made of network namespaces
fi
if ! command -v unbound >/dev/null || ! command -v unbound-control >/dev/null; then
  packages+=(unbound) # the blocklist feeds' RPZ zone, loaded by a real resolver
fi
if ! command -v slapd >/dev/null || ! command -v ldapsearch >/dev/null; then
  packages+=(slapd ldap-utils) # the directory connector against OpenLDAP with ppolicy
fi
if ! command -v samba >/dev/null || [ ! -d /usr/share/samba/setup/ad-schema ]; then
  packages+=(samba samba-ad-dc samba-ad-provision) # the directory connector against an Active Directory DC
fi
if ! command -v dovecot >/dev/null || [ ! -e /usr/lib/dovecot/managesieve ] || [ ! -e /usr/lib/dovecot/lmtp ] || [ ! -e /usr/lib/dovecot/modules/lib90_sieve_plugin.so ]; then
  packages+=(dovecot-imapd dovecot-lmtpd dovecot-managesieved dovecot-sieve) # the mailbox connector and the report mailbox
fi
if ! command -v smtpd >/dev/null; then
  packages+=(opensmtpd) # the company's mail relay: notifications and replies to reporters go through it
fi
if ! command -v logrotate >/dev/null; then
  packages+=(logrotate) # followed files rotated by rename and by copytruncate
fi
if ! command -v rsyslogd >/dev/null || ! ls /usr/lib/*/rsyslog/lmnsd_gtls.so >/dev/null 2>&1; then
  packages+=(rsyslog rsyslog-gnutls rsyslog-relp) # a real syslog forwarder (TCP, TLS, RELP) sending to the syslog input
fi
if [ ! -x /usr/bin/chromium ] && [ -z "${AUTOIR_CHROMIUM:-}" ]; then
  packages+=(chromium) # the web UI's browser tests drive Debian's Chromium (never a downloaded browser)
fi
if [ ${#packages[@]} -gt 0 ]; then
  echo "installing: ${packages[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
fi

if ! node -e 'const [major, minor] = process.versions.node.split(".").map(Number); process.exit(major > 22 || (major === 22 && minor >= 12) ? 0 : 1)' 2>/dev/null; then
  echo "node $(node --version 2>/dev/null || echo '(none)') is older than 22.12: using Node.js 24 LTS from the npm registry"
  node_dir="$(scripts/node.sh)"
  export PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir"
fi

npm ci --no-audit --no-fund
node scripts/check.mjs
