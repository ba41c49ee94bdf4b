"""Performance measures of caleol, each with a baseline measured in the same run.

    python -m benchmarks [--quick] [--only NAME ...] [--cache DIR]

Not part of the test suite (pytest's `testpaths` is `tests`); `tests/test_benchmarks_smoke.py`
only checks that the modules import and that one tiny quick measure runs.
"""
