"""Plugins for the whole suite: the suite's clock (core.testing_clock) and pytester, with which its
test runs an inner session."""

pytest_plugins = ["core.testing_clock", "pytester"]
