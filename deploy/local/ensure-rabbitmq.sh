#!/usr/bin/env bash
# Make sure RabbitMQ answers on 127.0.0.1:5672 with its management plugin (the tests
# create a vhost per run through the management API on 15672).
# Starts an installed broker; as root on Debian, installs rabbitmq-server if missing.
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

if ! answers 5672; then
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
