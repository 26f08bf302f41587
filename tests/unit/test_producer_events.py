"""What registration says about a producer, and where: nothing personal on the public
exchange, who it is only on the private one; old events read in the new shape."""

from shared.admin_units import Address
from shared.events import ProducerIdentified, ProducerRegistered, parse
from shared.events.examples import EXAMPLES
from shared.events.registry import read_stored
from tests.support.amqp import cloud_event

HOME = Address(
    province_code="19",
    province_name="Thái Nguyên",
    ward_code="01933",
    ward_name="Xã Đồng Phúc",
    legacy_address="Số 12 Thôn Nà Mằm, Xã Quảng Khê, Huyện Ba Bể, Tỉnh Bắc Kạn",
    latitude=22.3,
    longitude=105.7,
)


def registered_household():
    from services.registration.domain import register_producer

    return register_producer(
        "pr1",
        name="Hộ kinh doanh Lò Thị Mai",
        kind="household",
        women_led=True,
        tax_code="019186001234",
        address=HOME,
    )


def test_a_household_is_public_by_its_ward_and_known_by_name_only_privately():
    _, (public, identified) = registered_household()
    assert isinstance(public, ProducerRegistered) and public.exchange() == "registration.events"
    assert public.public_name == "Hộ kinh doanh tại Xã Đồng Phúc"
    text = public.model_dump_json()
    for personal in ("Lò Thị Mai", "019186001234", "Nà Mằm"):
        assert personal not in text
    assert isinstance(identified, ProducerIdentified)
    assert identified.exchange() == "registration.private"
    assert (identified.name, identified.tax_code) == ("Hộ kinh doanh Lò Thị Mai", "019186001234")
    assert identified.legacy_address == HOME.legacy_address


def test_an_organisation_keeps_its_name_in_public():
    from services.registration.domain import register_producer

    _, (public, _) = register_producer(
        "pr2", name="HTX Khau Vai", kind="htx", women_led=False, tax_code=None, address=HOME
    )
    assert public.public_name == "HTX Khau Vai"


def test_a_version_1_event_is_read_as_version_2_without_its_personal_data():
    v1 = next(e for e in EXAMPLES if e.event_type == "producer.registered" and e.version == 1)
    household = {
        **v1.model_dump(mode="json"),
        "kind": "household",
        "name": "Hộ kinh doanh Lò Thị Mai",
    }
    received = parse(
        cloud_event("producer.registered", "registration", household), ProducerRegistered
    )
    assert received.data.public_name == "Hộ kinh doanh tại Xã Đồng Phúc"
    assert "legacy_address" not in received.data.address.model_dump()
    stored = read_stored("producer.registered", 1, household)
    assert isinstance(stored, ProducerRegistered) and stored == received.data
