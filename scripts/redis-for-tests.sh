# Sourced by .ci/run: installs Debian's redis-server (and openssl) if missing (with the
# testkit's install-redis.sh, which the tests also run themselves), starts Redis on a
# free loopback port without persistence, exports OAUTH1_TEST_REDIS_URL for the tests, and
# stops it when the calling shell exits. Tests that need a server of their own (the outage
# test, the TLS-only server of the rediss:// test, whose certificates `openssl` makes) start
# `redis-server` themselves, so both must be on PATH.

bash "$(dirname "${BASH_SOURCE[0]}")/../crates/oauth1-server/src/testkit/install-redis.sh"

OAUTH1_REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
OAUTH1_REDIS_DIR=$(mktemp -d)
redis-server --bind 127.0.0.1 --port "$OAUTH1_REDIS_PORT" --save "" --appendonly no \
    --dir "$OAUTH1_REDIS_DIR" --daemonize yes --pidfile "$OAUTH1_REDIS_DIR/redis.pid" \
    --logfile "$OAUTH1_REDIS_DIR/redis.log"
stop_redis() {
    if [ -f "$OAUTH1_REDIS_DIR/redis.pid" ]; then
        kill "$(cat "$OAUTH1_REDIS_DIR/redis.pid")" 2>/dev/null || true
    fi
    rm -rf "$OAUTH1_REDIS_DIR"
}
trap stop_redis EXIT
for _ in $(seq 1 100); do
    if redis-cli -p "$OAUTH1_REDIS_PORT" ping 2>/dev/null | grep -q PONG; then break; fi
    sleep 0.1
done
redis-cli -p "$OAUTH1_REDIS_PORT" ping | grep -q PONG || {
    echo "redis-server did not start:"; cat "$OAUTH1_REDIS_DIR/redis.log"; exit 1;
}
export OAUTH1_TEST_REDIS_URL="redis://127.0.0.1:$OAUTH1_REDIS_PORT/"
echo "Redis at $OAUTH1_TEST_REDIS_URL"
