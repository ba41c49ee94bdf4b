"""Pure domain rules: standard library only, no Qt, no database.

Every check is a plain function taking plain values (and the examination date) and
returning a `CheckResult` with its figures, a French explanation and its reference.
"""
