#!/usr/bin/env bash
# The app behind Varnish on one machine, both in the foreground of this script:
#
#   PORT=8000 deploy/behind_varnish.sh .venv/bin/gunicorn usip_cms.wsgi [options]
#
# varnishd (deploy/varnish.vcl) listens on PORT and the app command on
# APP_PORT (PORT + 1 unless set), given `--bind 127.0.0.1:APP_PORT`. The app is
# told to purge this Varnish (FRONT_CACHE_URLS). TERM or INT stops both, by
# PID; so does either of them ending. Used by `manage.py bench_peers`.
# In production run Debian's varnish service with
# deploy/varnish.vcl instead, its backend pointing at the app servers.
set -euo pipefail
PORT="${PORT:-8000}"
APP_PORT="${APP_PORT:-$((PORT + 1))}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VARNISHD="$(command -v varnishd || echo /usr/sbin/varnishd)"
[ -x "$VARNISHD" ] || { echo "varnishd not found: apt-get install varnish varnish-modules" >&2; exit 1; }
[ $# -gt 0 ] || { echo "usage: PORT=N $0 APP-COMMAND [ARGS...]" >&2; exit 2; }

WORK="$(mktemp -d)"
sed -e "s/\.port = \"8000\";/.port = \"$APP_PORT\";/" "$HERE/varnish.vcl" >"$WORK/site.vcl"
APP_PID="" VARNISH_PID=""
stop() {
    for pid in $VARNISH_PID $APP_PID; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in $VARNISH_PID $APP_PID; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap stop EXIT
trap 'exit 143' TERM INT

export FRONT_CACHE_URLS="http://127.0.0.1:$PORT/"
"$@" --bind "127.0.0.1:$APP_PORT" &
APP_PID=$!
# -j none: no jail, as the user running this (a local or benchmark run; the
# Debian service drops to its own user).
"$VARNISHD" -F -j none -n "$WORK/varnish" -a "127.0.0.1:$PORT" -f "$WORK/site.vcl" \
    -s "malloc,${VARNISH_MEMORY:-256m}" -T 127.0.0.1:0 &
VARNISH_PID=$!
echo "Varnish on http://127.0.0.1:$PORT/ (pid $VARNISH_PID) in front of the app on $APP_PORT (pid $APP_PID)"
wait -n "$APP_PID" "$VARNISH_PID"
