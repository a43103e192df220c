# Freqtrade's Binance exchange with its markets taken from a snapshot file.
# Freqtrade asks ccxt for markets in exactly one place, Exchange._api_reload_markets,
# which awaits ccxt's load_markets (an HTTP call to exchangeInfo). Overriding just
# that coroutine keeps Freqtrade's own retry, locking and sync/async market sharing
# (reload_markets) untouched while nothing goes over the wire. Futures leverage tiers
# (an API call, or a file bundled with Freqtrade in dry runs) come from the snapshot too.

from __future__ import annotations

from copy import deepcopy
from typing import Any

from freqtrade.constants import Config
from freqtrade.exchange import Binance


class OfflineBinance(Binance):  # type: ignore[misc]  # freqtrade ships no type information
    """Binance (spot or futures) whose markets and tiers come from snapshots, not the API."""

    def __init__(
        self,
        config: Config,
        *,
        markets: dict[str, dict[str, Any]],
        leverage_tiers: dict[str, list[dict[str, Any]]] | None = None,
        **kwargs: Any,
    ) -> None:
        # Must exist before Exchange.__init__, which loads markets and tiers during construction.
        self._snapshot_markets = markets
        self._snapshot_tiers = leverage_tiers or {}
        super().__init__(config, **kwargs)

    async def _api_reload_markets(self, reload: bool = False) -> None:
        # set_markets is what ccxt's load_markets ends with once exchangeInfo has arrived;
        # a copy, because ccxt merges defaults into the dicts it is given.
        self._api_async.set_markets(deepcopy(self._snapshot_markets))

    def load_leverage_tiers(self) -> dict[str, list[dict[str, Any]]]:
        # Freqtrade parses these (fill_leverage_tiers) exactly as it would fetched ones.
        return deepcopy(self._snapshot_tiers)
