"""Councils: only councils that can close a round are accepted."""

import pytest

from services.scoring.councils import Council, Member, check_council, default_council
from shared.errors import InvalidInput

CHAIR, MEMBER = Member(id="a", role="chair"), Member(id="b")


@pytest.mark.parametrize(
    ("council", "field"),
    [
        (
            Council(id="x", level="province", province_code="19", members=(CHAIR, Member(id="a"))),
            "members",
        ),
        (Council(id="x", level="province", province_code="19", members=(MEMBER,)), "members"),
        (Council(id="x", level="province", members=(CHAIR, MEMBER)), "province_code"),
        (
            Council(id="x", level="central", province_code="19", members=(CHAIR, MEMBER)),
            "province_code",
        ),
        (Council(id="x", level="central", members=(Member(id="s", role="secretary"),)), "members"),
    ],
)
def test_councils_that_could_never_close_are_refused(council, field):
    with pytest.raises(InvalidInput) as error:
        check_council(council)
    assert field in error.value.fields


def test_default_council_comes_from_configuration_first_member_chairs():
    council = default_council({"COUNCIL_MEMBERS": "x, y ,z", "COUNCIL_QUORUM": "all"}, "province")
    assert council.scorers == ("x", "y", "z") and council.chair == "x" and council.quorum == "all"
    assert default_council({}, "central").members[0].id == "central-1"
