"""Optional parts of uprdex (pyproject extras): imported when used, else one line that says
what to install."""

from __future__ import annotations

import importlib
from types import ModuleType

from uprdex.pipeline.errors import MissingExtraError

__all__ = ["require"]


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """`module`, imported; a MissingExtraError naming the extra when it is not installed.

    Example: require("sklearn", "train", "uprdex train-themes") raises, without scikit-learn,
    "uprdex train-themes needs the train extra: pip install 'uprdex[train]'".
    """
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise MissingExtraError(
            f"{purpose} needs the {extra} extra: pip install 'uprdex[{extra}]'"
        ) from error
