"""Loaded at start-up by any Python whose PYTHONPATH starts with this folder:
installs the network guard of tests/reliability/netguard.py (see test_no_network)."""

import netguard

netguard.install_from_env()
