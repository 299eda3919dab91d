"""Fixtures: the bills tests' trip (Ayu logged in, Budi a user, Citra a guest)."""

from paytungan.bills.tests.conftest import Trip, trip

__all__ = ["Trip", "trip"]
