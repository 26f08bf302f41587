"""Which records a caller's roles reach, and how an entrypoint's access narrows them."""

from __future__ import annotations

import pytest

from shared.access.caller import Caller, Reach
from shared.access.roles import ANY, allow
from shared.access.tokens import TokenVerifier
from shared.errors import Forbidden, Unauthorized
from tests.support import auth

HOME = Reach(province="19", ward="01933", producer_id="pr-1", members=("member-2",))
CENTRAL = Reach(province="19", producer_id="pr-1", central=True)


def caller(**fields) -> Caller:
    return Caller(subject="s", via="token", **fields)


@pytest.mark.parametrize(
    ("fields", "home", "elsewhere"),
    [
        ({"roles": {"producer"}, "producer_ids": {"pr-1"}}, True, False),
        ({"roles": {"commune_officer"}, "wards": {"01933"}}, True, False),
        ({"roles": {"province_officer"}, "provinces": {"19"}}, True, False),
        ({"roles": {"council_member"}, "member_id": "member-2"}, True, False),
        ({"roles": {"integrator"}, "provinces": {"19"}, "scopes": {"fairs:read"}}, True, False),
        ({"roles": {"province_officer"}, "provinces": {ANY}}, True, True),
    ],
)
def test_each_role_reaches_its_own_records_only(fields, home, elsewhere):
    other = Reach(province="01", ward="00004", producer_id="pr-2", members=("member-9",))
    access = allow(*fields["roles"] - {"integrator"}, scope="fairs:read")
    acting = caller(**fields).acting_under(access, reading=True)
    assert acting is not None
    assert (acting.reaches(HOME), acting.reaches(other)) == (home, elsewhere)


def test_an_entrypoint_admits_only_the_roles_it_declares():
    officer = caller(roles={"province_officer", "producer"}, provinces={"19"})
    narrowed = officer.acting_under(allow("producer"), reading=True)
    assert narrowed is not None and narrowed.roles == {"producer"}
    assert not narrowed.reaches(HOME)  # the officer role does not count here
    assert officer.acting_under(allow("central_officer"), reading=True) is None


def test_an_integrator_passes_only_with_the_scope_and_an_auditor_only_to_read():
    integrator = caller(roles={"integrator"}, provinces={"19"}, scopes={"fairs:read"})
    assert integrator.acting_under(allow("province_officer", scope="fairs:read"), True)
    assert integrator.acting_under(allow("province_officer", scope="fairs:write"), False) is None
    auditor = caller(roles={"auditor"})
    assert auditor.acting_under(allow("province_officer"), reading=True)
    assert auditor.acting_under(allow("province_officer"), reading=False) is None


def test_the_central_councils_business_is_written_by_the_central_office_only():
    province = caller(roles={"province_officer"}, provinces={"19"})
    central = caller(roles={"central_officer"})
    writing = allow("province_officer", "central_officer")
    assert province.acting_under(writing, reading=True).reaches(CENTRAL)  # type: ignore[union-attr]
    assert not province.acting_under(writing, reading=False).reaches(CENTRAL)  # type: ignore[union-attr]
    assert central.acting_under(writing, reading=False).reaches(CENTRAL)  # type: ignore[union-attr]
    assert not central.acting_under(writing, reading=False).reaches(HOME)  # type: ignore[union-attr]


def test_require_names_what_was_out_of_reach():
    producer = caller(roles={"producer"}, producer_ids={"pr-2"})
    with pytest.raises(Forbidden, match="this dossier"):
        producer.require(HOME, "this dossier")


def test_tokens_are_checked_for_signature_expiry_and_claims():
    verifier = TokenVerifier.from_config({"AUTH_JWT_PUBLIC_KEYS": auth.public_key_file()})
    found = verifier.caller(auth.token("u1", roles=["auditor"], provinces=["19"]))
    assert (found.subject, found.roles, found.provinces) == ("u1", {"auditor"}, {"19"})
    with pytest.raises(Unauthorized, match="expired"):
        verifier.caller(auth.token("u1", lifetime=-60))
    with pytest.raises(Unauthorized, match="malformed"):
        verifier.caller(auth.token("u1", roles=7))
    with pytest.raises(Unauthorized, match="no AUTH_JWT_PUBLIC_KEYS"):
        TokenVerifier.from_config({}).caller(auth.token("u1"))


def test_a_list_is_narrowed_in_the_store_to_what_the_caller_reaches():
    fields = {"province": "province_code", "producer": "producer_id", "members": "member_ids"}
    officer = caller(roles={"province_officer", "producer"}, provinces={"19"}, producer_ids={"p"})
    assert officer.narrowing(**fields) == {
        "$or": [{"producer_id": {"$in": ["p"]}}, {"province_code": {"$in": ["19"]}}]
    }
    member = caller(roles={"council_member"}, member_id="m-2", reading=True)
    assert member.narrowing(**fields) == {"$or": [{"member_ids": "m-2"}]}
    assert caller(roles={"auditor"}).narrowing(**fields) == {}
    assert caller(roles={"commune_officer"}, wards={"1"}).narrowing(**fields) == {
        "_id": {"$in": []}  # rounds of this kind carry no ward field here: nothing
    }


def test_every_scope_granted_is_one_an_entrypoint_asks_for():
    from services.certification.service import CertificationService
    from services.registration.service import RegistrationService
    from services.scoring.service import ScoringService
    from services.trade_promotion.service import TradePromotionService
    from shared.access.roles import SCOPES
    from shared.web.openapi import entrypoints

    asked = {
        entrypoint.access.scope
        for service in (
            RegistrationService,
            ScoringService,
            CertificationService,
            TradePromotionService,
        )
        for _, entrypoint in entrypoints(service)
        if entrypoint.access.scope
    }
    assert asked == set(SCOPES)
