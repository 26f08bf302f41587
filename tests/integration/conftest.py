"""One service at a time in a nameko container, on the real broker (a vhost and broker users
per test: `bus`, tests/support/broker.py) and the real nx-27017 (a database per test)."""

import warnings

warnings.filterwarnings("ignore", message="\nEventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()  # before nameko, kombu or pymongo touch sockets and threads

import pytest  # noqa: E402
import requests  # noqa: E402


@pytest.fixture
def clock_file(tmp_path):
    """Write a number of days here to move every service's clock forward."""
    path = tmp_path / "clock-offset-days"
    path.write_text("0")
    return path


@pytest.fixture
def bus():
    """A vhost of this test's own with the platform's exchanges; `bus.service(cls)` makes a
    service's broker user, `bus.amqp_uri(name)` is a login, `bus.subscriber(...)` an outsider."""
    from tests.support.broker import Sandbox

    sandbox = Sandbox("it").bare()
    yield sandbox
    sandbox.remove()


@pytest.fixture
def service_config(bus, store_uri, database_name, clock_file, tmp_path):
    """Configuration for a service under test (its AMQP_URI is added when it starts: each
    service logs in as its own user); HTTP on a free port."""
    from shared.devstack.processes import free_port
    from tests.support.auth import public_key_file

    return {
        **bus.env(),
        "CLOCK_FILE": str(clock_file),
        "SIGNING_KEYS_DIR": str(tmp_path / "keys"),
        "MONGO_URI": store_uri,
        "MONGO_DB": database_name,
        "WEB_SERVER_ADDRESS": f"127.0.0.1:{free_port()}",
        "COUNCIL_MEMBERS": "member-1,member-2,member-3",
        "RETRY_DELAYS": [1, 1],
        "ACCESS_DB": f"{database_name}_access",
        "AUTH_JWT_PUBLIC_KEYS": public_key_file(),
        # every test calls from 127.0.0.1 with one key: limits it never reaches (the
        # limits' own tests set theirs, tests/integration/test_rate_limits.py)
        "RATE_LIMIT_WRITES": "1000000/60",
        "RATE_LIMIT_SIGN_IN": "1000000/60",
        "RATE_LIMIT_PUBLIC_READS": "1000000/60",
    }


@pytest.fixture
def start_service(container_factory, service_config, bus):
    """Start a service class, logged in to the broker as its own user; returns (container,
    base URL of its HTTP API)."""

    def start(service_class, **overrides):
        config = {**service_config, "AMQP_URI": bus.service(service_class), **overrides}
        container = container_factory(service_class, config)
        container.start()
        return container, f"http://{config['WEB_SERVER_ADDRESS']}"

    return start


@pytest.fixture
def http(store_uri, service_config):
    """A client with an API key holding every role for every province (access itself is
    tested end to end, tests/e2e/test_access_matrix.py, with narrower credentials)."""
    from shared.devstack.credentials import all_powers_key

    session = requests.Session()
    key = all_powers_key(store_uri, service_config["ACCESS_DB"], client="integration tests")
    session.headers["Authorization"] = f"Bearer {key}"
    yield session
    session.close()


SERVICES = ["registration", "scoring", "certification", "trade_promotion"]


@pytest.fixture
def kept(store_uri, database_name):
    """The database of the service under test (what it has kept of others' events)."""
    from pymongo import MongoClient

    with MongoClient(store_uri) as client:
        yield client[database_name]


@pytest.fixture
def announce(bus, kept):
    """`announce(collection, event, id field)`: publish a registration event and return
    once the service under test has kept it (tests/support/announced.py)."""
    from tests.support.announced import announcer

    return announcer(bus, kept)


@pytest.fixture
def products(announce):
    """Registered products, as scoring and certification keep them: Tuyên Quang's (08)
    `p-cam-1` of `pr-cam`, and Thái Nguyên's (19) `p-19` of `pr-19`."""
    from tests.support.announced import product_of

    product_of(announce, "p-cam-1", "pr-cam", "08")
    product_of(announce, "p-19", "pr-19", "19")


@pytest.fixture
def producers(announce, products):
    """The products' producers too, as certification keeps them (scoring keeps none)."""
    from tests.support.announced import producer_of

    producer_of(announce, "pr-cam", "08")
    producer_of(announce, "pr-19", "19")


@pytest.fixture
def tap(bus):
    """An outside subscriber on every service's public exchange in this test's vhost."""
    from tests.support.amqp import EventTap

    login = bus.subscriber("tap", [f"{service}.events" for service in SERVICES])
    subscriber = EventTap(login, SERVICES)
    yield subscriber
    subscriber.close()


def pytest_terminal_summary(terminalreporter, config):
    """The fuzz test's case counts (tests/integration/test_http_fuzz.py), when it ran."""
    import sys

    fuzzing = sys.modules.get("tests.support.fuzzing")
    reports = config.stash.get(fuzzing.REPORTS, None) if fuzzing else None
    if not reports:
        return
    terminalreporter.section("fuzz cases run (schemathesis)")
    for line in fuzzing.table(reports):
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"written to {fuzzing.write_artifact(reports)}")
