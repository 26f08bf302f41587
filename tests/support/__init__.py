"""Helpers the test layers share: an outside AMQP client, waiting, score sheets."""
