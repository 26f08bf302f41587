"""Recognition: a council's result is a proposal until the competent authority's signed
decision is recorded; only then is a certificate issued, renewed or revoked, its term
counted from the day the decision was signed. Revocation reasons are data with sources."""

from datetime import date, timedelta

import pytest
import yaml
from pydantic import ValidationError

from services.certification import domain, recognition
from services.certification.certificate import Certificate
from services.certification.decision_checks import check_decision
from services.certification.recognition import Decision, Proposal, Revocation
from services.certification.rules import REASONS, load_reasons, load_rules
from shared.errors import InvalidInput
from shared.events import (
    DecisionDocument,
    ProductNotRanked,
    ProductRanked,
    RecognitionDecided,
    RecognitionProposed,
)
from shared.events.scores import CapByCriterion, Disqualified

RULES = load_rules()
RANKED_ON = date(2026, 11, 28)
SIGNED_ON = date(2027, 1, 5)
TODAY = date(2027, 1, 10)
DOCUMENT = DecisionDocument(url="https://thainguyen.gov.vn/qd-1032.pdf", sha256="ab" * 32)


def signer(fields: dict) -> str:
    return "payload"


def ranked(**overrides) -> ProductRanked:
    fields = dict(
        evaluation_id="e1",
        product_id="p1",
        producer_id="pr1",
        product_name="Chè búp Đồng Phúc",
        group="food",
        province_code="19",
        criteria_set="148-2023",
        total=83.0,
        band_stars=4,
        stars=4,
        level="province",
        council_level="province",
        ranked_on=RANKED_ON,
    )
    return ProductRanked(**{**fields, **overrides})


def not_ranked(**overrides) -> ProductNotRanked:
    fields = dict(
        evaluation_id="e2",
        product_id="p1",
        producer_id="pr1",
        product_name="Chè búp Đồng Phúc",
        group="food",
        province_code="19",
        criteria_set="148-2023",
        round_kind="re_evaluation",
        certificate_number="OCOP-19-2024-00042",
        reason="mandatory_criteria",
        failed_criteria=(
            CapByCriterion(criterion="A1.2", stars=3, required_points=2, average_points=1),
            CapByCriterion(criterion="C3.1", stars=3, required_points=3, average_points=0.5),
        ),
        decided_on=date(2027, 3, 1),
    )
    return ProductNotRanked(**{**fields, **overrides})


def held(**overrides) -> Certificate:
    fields = dict(
        id="OCOP-19-2024-00042",
        product_id="p1",
        producer_id="pr1",
        product_name="Chè búp Đồng Phúc",
        group="food",
        subgroup=None,
        province_code="19",
        stars=4,
        level="province",
        total=82.0,
        criteria_set="148-2023",
        evaluation_id="e0",
        issuing_body="Ủy ban nhân dân tỉnh Thái Nguyên",
        decision_number="900/QĐ-UBND",
        decided_on=date(2024, 6, 1),
        issued_on=date(2024, 6, 1),
        expires_on=date(2027, 6, 1),
    )
    return Certificate(**{**fields, **overrides})


def decision(**overrides) -> Decision:
    level = overrides.get("level", "province")
    fields = dict(
        id="d1",
        kind="recognition",
        number="1032/QĐ-UBND",
        signed_on=SIGNED_ON,
        signer="Nguyễn Văn An",
        signer_title="Phó Chủ tịch",
        level=level,
        province_code="19" if level == "province" else None,
        issuing_body="Ủy ban nhân dân tỉnh Thái Nguyên",
        evaluation_ids=("e1",),
        document=DOCUMENT,
        recorded_by="officer-19",
        recorded_on=TODAY,
    )
    return Decision(**{**fields, **overrides})


def proposal_for(ranking: ProductRanked, **overrides) -> Proposal:
    made, _ = recognition.propose_recognition(ranking, [], RULES)
    assert made is not None
    return made.model_copy(update=overrides)


# -- who recognises what --------------------------------------------------------------


@pytest.mark.parametrize(
    ("stars", "level", "council", "recognised"),
    [
        (3, "province", "province", True),
        (4, "province", "province", True),
        (2, "province", "province", False),
        (1, "province", "central", False),
        (5, "province", "province", False),  # 5 stars are not the province's to recognise
        (5, "central", "province", False),  # nor a province council's result
        (5, "central", "central", True),
        (4, "province", "central", True),
        (4, "central", "central", False),
    ],
)
def test_who_recognises_what(stars, level, council, recognised):
    ranking = ranked(stars=stars, level=level, council_level=council)
    assert recognition.recognises(ranking, RULES) is recognised
    proposal, events = recognition.propose_recognition(ranking, [], RULES)
    assert (proposal is not None) is recognised and len(events) == int(recognised)


# -- proposals ------------------------------------------------------------------------


def test_a_recognised_ranking_becomes_a_pending_proposal_not_a_certificate():
    ranking = ranked(sheet=None, subgroup="tea")
    proposal, events = recognition.propose_recognition(ranking, [], RULES)
    assert proposal is not None
    assert (proposal.id, proposal.evaluation_id, proposal.action) == ("e1", "e1", "recognise")
    assert (proposal.status, proposal.decision_id) == ("pending", None)
    assert (proposal.level, proposal.province_code) == ("province", "19")
    assert proposal.ranking == ranking and proposal.proposed_on == RANKED_ON
    assert proposal.certificate_number is None and proposal.reason_code is None
    [event] = events
    assert isinstance(event, RecognitionProposed)
    assert (event.evaluation_id, event.action, event.product_id) == ("e1", "recognise", "p1")
    assert (event.stars, event.total, event.group, event.subgroup) == (4, 83.0, "food", "tea")
    assert (event.level, event.province_code, event.proposed_on) == ("province", "19", RANKED_ON)


def test_a_central_ranking_is_proposed_for_the_ministrys_decision():
    ranking = ranked(stars=5, level="central", council_level="central", province_code="79")
    proposal, [event] = recognition.propose_recognition(ranking, [], RULES)
    assert proposal.level == event.level == "central" and event.stars == 5


@pytest.mark.parametrize(("held_stars", "proposed"), [(3, True), (4, False), (5, False)])
def test_no_proposal_when_as_many_stars_are_already_held(held_stars, proposed):
    holding = [held(stars=held_stars, level="central" if held_stars == 5 else "province")]
    proposal, events = recognition.propose_recognition(ranked(stars=4), holding, RULES)
    assert (proposal is not None) is proposed and bool(events) is proposed


@pytest.mark.parametrize("status", ["expired", "revoked", "superseded"])
def test_an_ended_certificate_does_not_stop_a_proposal(status):
    proposal, _ = recognition.propose_recognition(ranked(), [held(status=status)], RULES)
    assert proposal is not None


def test_only_valid_certificates_count_among_several_held():
    holding = [held(stars=5, level="central", status="revoked"), held(stars=3)]
    assert recognition.propose_recognition(ranked(stars=4), holding, RULES)[0] is not None
    holding.append(held(id="OCOP-19-2025-00001", stars=4))
    assert recognition.propose_recognition(ranked(stars=4), holding, RULES) == (None, [])


@pytest.mark.parametrize("stars", [3, 4])
def test_a_re_evaluation_is_always_proposed(stars):
    ranking = ranked(
        stars=stars, round_kind="re_evaluation", certificate_number="OCOP-19-2024-00042"
    )
    proposal, [event] = recognition.propose_recognition(ranking, [held(stars=4)], RULES)
    assert proposal.certificate_number == event.certificate_number == "OCOP-19-2024-00042"
    assert proposal.action == "recognise" and event.stars == stars


def test_a_re_evaluation_below_three_stars_is_not_proposed_for_recognition():
    ranking = ranked(stars=2, round_kind="re_evaluation", certificate_number="OCOP-19-2024-00042")
    assert recognition.propose_recognition(ranking, [held()], RULES) == (None, [])


def test_a_certificate_past_its_term_does_not_stop_a_proposal_before_the_sweep():
    lapsed = held(expires_on=RANKED_ON - timedelta(days=1))  # still "valid" in the store
    assert lapsed.status_on(RANKED_ON) == "expired"
    proposal, _ = recognition.propose_recognition(ranked(), [lapsed], RULES)
    assert proposal is not None


def test_a_failed_re_evaluation_proposes_to_revoke_its_certificate():
    failed = not_ranked(
        disqualified_by=(Disqualified(code="L1", text="Hồ sơ giả mạo"),),
    )
    proposal, [event] = recognition.propose_revocation(failed, held(), TODAY)
    assert (proposal.id, proposal.action, proposal.status) == ("e2", "revoke", "pending")
    assert proposal.certificate_number == "OCOP-19-2024-00042"
    assert proposal.reason_code == recognition.FAILED_RE_EVALUATION == "failed_re_evaluation"
    assert proposal.reason_note == "mandatory_criteria: A1.2, C3.1, L1"
    assert (proposal.level, proposal.province_code) == ("province", "19")
    assert proposal.ranking is None and proposal.proposed_on == date(2027, 3, 1)
    assert isinstance(event, RecognitionProposed)
    assert (event.action, event.reason_code) == ("revoke", "failed_re_evaluation")
    assert event.certificate_number == "OCOP-19-2024-00042" and event.stars is None
    assert RULES.reason(proposal.reason_code) is not None  # a code the rules know


def test_a_revoke_proposal_goes_to_the_authority_that_issued_the_certificate():
    central = held(id="OCOP-TW-2024-00007", stars=5, level="central", province_code="79")
    failed = not_ranked(certificate_number="OCOP-TW-2024-00007", province_code="79")
    proposal, _ = recognition.propose_revocation(failed, central, TODAY)
    assert (proposal.level, proposal.province_code) == ("central", "79")


def test_a_failure_without_named_criteria_notes_only_its_reason():
    failed = not_ranked(reason="precheck", failed_criteria=())
    proposal, _ = recognition.propose_revocation(failed, held(), TODAY)
    assert proposal.reason_note == "precheck"


@pytest.mark.parametrize("round_kind", ["new", "central"])
def test_only_a_re_evaluation_proposes_a_revocation(round_kind):
    failed = not_ranked(round_kind=round_kind)
    assert recognition.propose_revocation(failed, held(), TODAY) == (None, [])


@pytest.mark.parametrize(
    "certificate",
    [
        None,
        held(product_id="p2"),  # another product's certificate
        held(status="revoked"),
        held(status="superseded"),
        held(expires_on=TODAY - timedelta(days=1)),  # past its term, not yet swept
    ],
    ids=["none", "other-product", "revoked", "superseded", "past-term"],
)
def test_no_revoke_proposal_without_a_valid_certificate_of_that_product(certificate):
    assert recognition.propose_revocation(not_ranked(), certificate, TODAY) == (None, [])


# -- decisions ------------------------------------------------------------------------


def pending() -> dict[str, Proposal]:
    revoke, _ = recognition.propose_revocation(not_ranked(evaluation_id="e9"), held(), TODAY)
    return {
        "e1": proposal_for(ranked()),
        "e3": proposal_for(ranked(evaluation_id="e3", product_id="p3")),
        "e5": proposal_for(
            ranked(evaluation_id="e5", stars=5, level="central", council_level="central")
        ),
        "e7": proposal_for(ranked(evaluation_id="e7", province_code="01")),
        "e9": revoke.model_copy(update={"proposed_on": SIGNED_ON}),
        "done": proposal_for(ranked(evaluation_id="done"), status="decided", decision_id="d0"),
        "late": proposal_for(ranked(evaluation_id="late", ranked_on=SIGNED_ON + timedelta(1))),
    }


def test_a_fitting_decision_is_accepted():
    check_decision(decision(evaluation_ids=("e1", "e3")), pending(), TODAY)
    central = decision(level="central", evaluation_ids=("e5",), issuing_body="Bộ NN&MT")
    check_decision(central, pending(), TODAY)
    check_decision(decision(signed_on=TODAY), pending(), TODAY)  # signed today
    ends = decision(kind="revocation", evaluation_ids=("e9",))  # proposed the day it was signed
    check_decision(ends, pending(), TODAY)
    direct = decision(
        kind="revocation",
        evaluation_ids=(),
        revocations=(Revocation(certificate_number="OCOP-19-2024-00042", reason_code="x"),),
    )
    check_decision(direct, {}, TODAY)


REVOCATION = Revocation(certificate_number="OCOP-19-2024-00042", reason_code="production_stopped")


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"signed_on": TODAY + timedelta(days=1)}, "signed_on", "future"),
        ({"level": "central", "province_code": "19"}, "province_code", "province"),
        ({"province_code": None}, "province_code", "province"),
        ({"evaluation_ids": ()}, "evaluation_ids", "no proposal"),
        ({"evaluation_ids": ("e1", "e1")}, "evaluation_ids", "twice"),
        ({"evaluation_ids": ("e1", "nope")}, "evaluation_ids", "nope: no proposal"),
        ({"evaluation_ids": ("done",)}, "evaluation_ids", "already decided (d0)"),
        ({"evaluation_ids": ("e9",)}, "evaluation_ids", "proposed for revoke"),
        ({"kind": "revocation", "evaluation_ids": ("e1",)}, "evaluation_ids", "for recognise"),
        ({"evaluation_ids": ("e5",)}, "evaluation_ids", "central-level"),
        (
            {"level": "central", "province_code": None, "evaluation_ids": ("e1",)},
            "evaluation_ids",
            "province-level",
        ),
        ({"evaluation_ids": ("e1", "e7")}, "evaluation_ids", "e7: a product of province 01"),
        ({"evaluation_ids": ("e1", "late")}, "signed_on", "late"),
        ({"revocations": (REVOCATION,)}, "revocations", "revocation decision"),
    ],
    ids=[
        "future",
        "central-with-province",
        "province-without-province",
        "nothing-named",
        "duplicate",
        "unknown",
        "decided",
        "revoke-in-recognition",
        "recognise-in-revocation",
        "central-proposal",
        "province-proposal",
        "other-province",
        "proposed-after-signing",
        "revocations-in-recognition",
    ],
)
def test_a_decision_that_does_not_fit_is_refused_naming_the_field(changes, field, says):
    with pytest.raises(InvalidInput) as refused:
        check_decision(decision(**changes), pending(), TODAY)
    assert list(refused.value.fields) == [field]
    assert says in refused.value.fields[field]


def test_decided_marks_a_proposal_once():
    proposal = proposal_for(ranked())
    marked, events = recognition.decided(proposal, decision())
    assert (marked.status, marked.decision_id, events) == ("decided", "d1", [])
    assert proposal.status == "pending"  # the stored one is replaced, not changed
    assert recognition.decided(marked, decision(id="d2")) == (marked, [])
    with pytest.raises(InvalidInput) as refused:
        check_decision(decision(id="d2"), {"e1": marked}, TODAY)
    assert "already decided (d1)" in refused.value.fields["evaluation_ids"]


def test_the_decided_event_names_the_decision_and_the_products_in_order():
    proposals = pending()
    event = recognition.decided_event(decision(evaluation_ids=("e3", "e1")), proposals)
    assert isinstance(event, RecognitionDecided)
    assert (event.decision_id, event.kind, event.decision_number) == (
        "d1",
        "recognition",
        "1032/QĐ-UBND",
    )
    assert (event.evaluation_ids, event.product_ids) == (("e3", "e1"), ("p3", "p1"))
    assert (event.signed_on, event.signer, event.signer_title) == (
        SIGNED_ON,
        "Nguyễn Văn An",
        "Phó Chủ tịch",
    )
    assert (event.level, event.province_code, event.recorded_by) == ("province", "19", "officer-19")
    assert event.document == DOCUMENT and event.certificate_numbers == ()
    assert event.subject() == "decision/d1"


def test_a_revocation_decisions_event_names_the_certificates_it_ends():
    ends = decision(
        kind="revocation",
        evaluation_ids=("e9",),
        revocations=(REVOCATION, REVOCATION.model_copy(update={"certificate_number": "X-1"})),
    )
    event = recognition.decided_event(ends, pending())
    assert event.kind == "revocation" and event.product_ids == ("p1",)
    assert event.certificate_numbers == ("OCOP-19-2024-00042", "X-1")


# -- from proposal to certificate: the term runs from the decision ----------------------


def test_the_term_runs_from_the_decisions_date_not_the_rankings():
    ranking = ranked(ranked_on=date(2026, 11, 28))
    proposal = proposal_for(ranking)
    signed = decision(signed_on=date(2027, 2, 14))
    check_decision(signed, {proposal.id: proposal}, date(2027, 2, 20))
    certificate, _ = domain.issue_certificate(
        proposal.ranking, signed, sequence=1, producer=None, rules=RULES, sign=signer
    )
    assert certificate.issued_on == certificate.decided_on == date(2027, 2, 14)
    assert certificate.expires_on == date(2030, 2, 14)
    assert certificate.expires_on != domain.expiry(ranking.ranked_on, RULES)
    assert certificate.number == "OCOP-19-2027-00001"


def test_a_renewal_term_runs_from_its_decision():
    certificate = held()
    again = ranked(
        evaluation_id="e4",
        round_kind="re_evaluation",
        certificate_number=certificate.number,
        ranked_on=date(2027, 3, 1),
    )
    proposal, _ = recognition.propose_recognition(again, [certificate], RULES)
    signed = decision(id="d4", evaluation_ids=("e4",), signed_on=date(2027, 5, 20))
    check_decision(signed, {proposal.id: proposal}, date(2027, 5, 21))
    renewed, _ = domain.renew(certificate, proposal.ranking, signed, RULES, signer)
    assert renewed.expires_on == date(2030, 5, 20) and renewed.decided_on == date(2027, 5, 20)
    assert renewed.renewals[-1].renewed_on == date(2027, 5, 20)


def test_a_revoke_proposal_carried_out_records_the_reason_of_the_data():
    proposal, _ = recognition.propose_revocation(not_ranked(), held(), TODAY)
    ends = decision(kind="revocation", evaluation_ids=(proposal.id,), signed_on=date(2027, 3, 10))
    check_decision(ends, {proposal.id: proposal}, date(2027, 3, 11))
    revoked, [event] = domain.revoke(
        held(),
        reason=RULES.reason(proposal.reason_code),
        note=proposal.reason_note,
        decision=ends,
        revoked_by=ends.recorded_by,
    )
    basis = RULES.reason("failed_re_evaluation").legal_basis
    assert revoked.revocation.legal_basis == event.legal_basis == basis
    assert revoked.revocation.reason_code == "failed_re_evaluation"
    assert "A1.2, C3.1" in revoked.revocation.reason
    assert revoked.revocation.revoked_on == date(2027, 3, 10)
    assert revoked.revocation.decision_number == "1032/QĐ-UBND"


# -- revocation reasons are data with their sources --------------------------------------


RAW_REASONS = yaml.safe_load(REASONS.read_text("utf-8"))["reasons"]


def test_the_rules_load_every_revocation_reason_of_the_file():
    assert set(RULES.revocation_reasons) == set(RAW_REASONS)
    assert {"failed_re_evaluation", "not_re_evaluated", "food_safety_violation"} <= set(RAW_REASONS)


@pytest.mark.parametrize("code", sorted(RAW_REASONS))
def test_every_revocation_reason_has_a_legal_basis_and_a_source(code):
    reason = RULES.reason(code)
    assert reason is not None and reason.code == code
    assert reason.label == RAW_REASONS[code]["label"].strip() != ""
    assert reason.legal_basis == RAW_REASONS[code]["legal_basis"] and reason.legal_basis.strip()
    assert reason.source == RAW_REASONS[code]["source"] and reason.source.strip()
    assert reason.source_status in ("confirmed", "unverified")
    if reason.source_status == "confirmed":
        assert reason.source.startswith("https://")


@pytest.mark.parametrize("code", ["", "unknown", "FAILED_RE_EVALUATION", "failed re evaluation"])
def test_an_unknown_reason_code_gives_none(code):
    assert RULES.reason(code) is None


@pytest.mark.parametrize("missing", ["legal_basis", "source"])
def test_a_reason_without_its_basis_or_source_does_not_load(tmp_path, missing):
    entry = {key: value for key, value in RAW_REASONS["failed_re_evaluation"].items()}
    del entry[missing]
    path = tmp_path / "reasons.yaml"
    path.write_text(yaml.safe_dump({"reasons": {"x": entry}}, allow_unicode=True), "utf-8")
    with pytest.raises(ValidationError, match=missing):
        load_reasons(path)
