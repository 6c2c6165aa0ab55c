"""Home tasks and nav entries."""


def register() -> None:
    pass
