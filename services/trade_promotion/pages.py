"""The public portal's pages (mixed into `TradePromotionService`)."""

from __future__ import annotations

from typing import Any


class TradePromotionPages:
    store: Any
    templates: Any
