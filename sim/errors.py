"""The one error type for bad input: it carries the key, the value and what is allowed.

Every refusal of a config value, policy name or results file is raised as a
``ConfigError`` so the command line can print it as one line and exit non-zero
without a traceback.
"""


class ConfigError(ValueError):
    """Bad input, named by its config key, its value and what would be allowed."""

    def __init__(self, key: str, value: object, allowed: str) -> None:
        self.key, self.value, self.allowed = key, value, allowed
        super().__init__(f"{key}={value!r} is not allowed: {allowed}")
