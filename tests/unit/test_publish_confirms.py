"""The bookkeeping of publisher confirms: which messages of a batch the broker has."""

from shared.messaging.batches import Confirms


def test_a_multiple_ack_confirms_every_tag_up_to_it():
    confirms = Confirms()
    confirms.ack(5, multiple=True)
    assert confirms.up_to == 5


def test_single_acks_count_only_once_the_gap_before_them_closes():
    confirms = Confirms()
    confirms.ack(2, multiple=False)
    confirms.ack(3, multiple=False)
    assert confirms.up_to == 0  # tag 1 not yet confirmed: nothing after it counts
    confirms.ack(1, multiple=False)
    assert confirms.up_to == 3 and not confirms.single


def test_a_late_multiple_ack_absorbs_earlier_single_ones():
    confirms = Confirms()
    confirms.ack(7, multiple=False)
    confirms.ack(6, multiple=True)
    assert confirms.up_to == 7


def test_the_first_nack_is_remembered():
    confirms = Confirms()
    confirms.nack(9, multiple=False)
    confirms.nack(4, multiple=True)
    assert confirms.nacked == 4
