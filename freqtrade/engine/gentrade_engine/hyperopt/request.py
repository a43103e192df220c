# The hyperopt request: a backtest request (its `timerange` is the training part) plus what the
# search needs. Parsed once at the edge; the backtest fields go through the backtest's own parser.

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from gentrade_engine.backtest.request import BacktestRequest, parse_request
from gentrade_engine.backtest.timerange import TimeWindow, parse_timerange
from gentrade_engine.errors import EngineError

# Our loss names and the Freqtrade loss classes they stand for (freqtrade/optimize/hyperopt_loss).
LOSSES = {
    "sharpe": "SharpeHyperOptLoss",
    "sortino": "SortinoHyperOptLoss",
    "calmar": "CalmarHyperOptLoss",
    "profit": "OnlyProfitHyperOptLoss",
}
SPACES = ("buy", "sell", "roi", "stoploss", "trailing", "protection")
MAX_EPOCHS = 2000
_FIELDS = ("epochs", "loss", "spaces", "random_state", "test_timerange")


@dataclass(frozen=True)
class HyperoptRequest:
    backtest: BacktestRequest  # timerange: the training part
    epochs: int
    loss: str  # a key of LOSSES
    spaces: tuple[str, ...]
    random_state: int
    test_timerange: TimeWindow | None

    @property
    def loss_class(self) -> str:
        return LOSSES[self.loss]


def _bad(message: str) -> EngineError:
    return EngineError("BAD_REQUEST", message)


def _int(raw: dict[str, Any], key: str, low: int, high: int) -> int:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _bad(f"The request field '{key}' must be a whole number from {low} to {high}.")
    return value


def parse_hyperopt(text: str) -> HyperoptRequest:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as err:
        raise _bad(f"The hyperopt request is not valid JSON ({err.msg}).") from None
    if not isinstance(raw, dict):
        raise _bad("The hyperopt request must be a JSON object.")
    own = {key: raw.pop(key) for key in _FIELDS if key in raw}
    backtest = parse_request(json.dumps(raw))
    loss = own.get("loss")
    if loss not in LOSSES:
        raise _bad(f"The request field 'loss' must be one of {', '.join(LOSSES)}.")
    spaces = own.get("spaces")
    if (
        not isinstance(spaces, list)
        or not spaces
        or any(s not in SPACES for s in spaces)
        or len(set(spaces)) != len(spaces)
    ):
        raise _bad(f"The request field 'spaces' must list some of {', '.join(SPACES)}, once each.")
    test = own.get("test_timerange")
    return HyperoptRequest(
        backtest=backtest,
        epochs=_int(own, "epochs", 1, MAX_EPOCHS),
        loss=str(loss),
        spaces=tuple(spaces),
        random_state=_int(own, "random_state", 1, 2**31 - 1),
        test_timerange=None if test is None else parse_timerange(test),
    )
