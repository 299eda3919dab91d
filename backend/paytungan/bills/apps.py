from django.apps import AppConfig


class BillsConfig(AppConfig):
    name = "paytungan.bills"
    label = "bills"

    def ready(self) -> None:
        from paytungan.bills.contents import BILLS
        from paytungan.groups import contents

        contents.register(BILLS)
