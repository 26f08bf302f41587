"""Jinja2 templates of a service's pages, from the `templates/` folder beside its module."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape


def templates_in(module_file: str) -> Callable[[dict], Environment]:
    """A loader for `Loaded(...)`: the environment for `<module folder>/templates`."""
    folder = Path(module_file).parent / "templates"

    def load(config: dict) -> Environment:
        environment = Environment(loader=FileSystemLoader(folder), autoescape=select_autoescape())
        environment.filters["vn_date"] = lambda day: day.strftime("%d/%m/%Y") if day else "—"
        return environment

    return load
