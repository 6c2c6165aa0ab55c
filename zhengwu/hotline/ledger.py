"""Ledger kind `tickets`."""


def register() -> None:
    pass
