#!/usr/bin/env bash
# Make sure RabbitMQ answers on 127.0.0.1:5672 with its management plugin (the tests
# create a vhost per run through the management API on 15672), both on 127.0.0.1 only.
# Starts an installed broker; as root on Debian, installs rabbitmq-server if missing, and
# keeps the AMQP and management listeners on 127.0.0.1 (in /etc/rabbitmq/rabbitmq.conf,
# and, for a broker already running with its management API on every address, by moving
# that listener at run time).
# With AMQP_URI set to another broker, nothing is checked here.
set -uo pipefail

if [ -n "${AMQP_URI:-}" ] && [[ "${AMQP_URI}" != *"127.0.0.1"* ]] && [[ "${AMQP_URI}" != *"localhost"* ]]; then
  exit 0
fi

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() {  # port, seconds
  for _ in $(seq 1 "$2"); do answers "$1" && return 0; sleep 1; done
  return 1
}
is_root() { [ "$(id -u)" = 0 ]; }
fail() { echo "RabbitMQ: $*" >&2; exit 1; }

CONF=/etc/rabbitmq/rabbitmq.conf
local_only() {  # the listeners on 127.0.0.1, for the next start of the broker
  is_root || return 0
  mkdir -p /etc/rabbitmq && touch "$CONF"
  grep -q '^listeners.tcp' "$CONF" || echo 'listeners.tcp.local = 127.0.0.1:5672' >>"$CONF"
  grep -q '^management.tcp.ip' "$CONF" || echo 'management.tcp.ip = 127.0.0.1' >>"$CONF"
}
management_everywhere() {
  command -v ss >/dev/null && ss -Hltn 'sport = :15672' | grep -qvE '127\.0\.0\.1:15672'
}

if ! answers 5672; then
  local_only
  if ! command -v rabbitmq-server >/dev/null 2>&1 && [ ! -x /usr/sbin/rabbitmq-server ]; then
    is_root && command -v apt-get >/dev/null \
      || fail "no broker answers on 127.0.0.1:5672 and rabbitmq-server is not installed; install it (apt-get install rabbitmq-server) or set AMQP_URI."
    echo "Installing rabbitmq-server (apt-get)…"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null \
      || fail "apt-get could not install rabbitmq-server; install it by hand or set AMQP_URI."
  fi
  is_root || fail "no broker answers on 127.0.0.1:5672; start it (as root: rabbitmq-server -detached) or set AMQP_URI."
  echo "Starting RabbitMQ…"
  if command -v service >/dev/null && service rabbitmq-server start >/dev/null 2>&1; then :; else
    PATH="$PATH:/usr/sbin" rabbitmq-server -detached >/dev/null 2>&1
  fi
  wait_for 5672 90 || fail "the broker was started but does not answer on 127.0.0.1:5672 after 90 s; see /var/log/rabbitmq/."
fi

if ! answers 15672; then
  is_root || fail "the management plugin is off; enable it as root: rabbitmq-plugins enable rabbitmq_management"
  PATH="$PATH:/usr/sbin" rabbitmq-plugins enable rabbitmq_management >/dev/null 2>&1 \
    || fail "could not enable the management plugin (rabbitmq-plugins enable rabbitmq_management)."
  wait_for 15672 60 || fail "the management plugin is enabled but does not answer on 127.0.0.1:15672."
fi

if management_everywhere; then
  if is_root; then
    echo "Moving the RabbitMQ management listener to 127.0.0.1…"
    local_only
    # the management application re-reads its listener settings when it starts again
    PATH="$PATH:/usr/sbin" rabbitmqctl -q eval 'application:stop(rabbitmq_management),
      application:set_env(rabbitmq_management, tcp_config, [{ip, "127.0.0.1"}, {port, 15672}]),
      application:start(rabbitmq_management).' >/dev/null \
      || fail "could not move the management listener to 127.0.0.1; set management.tcp.ip in $CONF."
    wait_for 15672 60 || fail "the management plugin does not answer on 127.0.0.1:15672 after the move."
    if management_everywhere; then
      fail "the management listener still listens on other addresses; set management.tcp.ip in $CONF and restart RabbitMQ."
    fi
  else
    echo "Warning: the RabbitMQ management API listens on every address; set management.tcp.ip = 127.0.0.1 in $CONF." >&2
  fi
fi
