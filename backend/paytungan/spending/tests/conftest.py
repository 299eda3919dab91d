from paytungan.bills.tests.conftest import Trip, trip

__all__ = ["Trip", "trip"]
