from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "paytungan.payments"
    label = "payments"

    def ready(self) -> None:
        from paytungan.accounts.exporters import register
        from paytungan.bills import statuses
        from paytungan.groups import contents
        from paytungan.payments.contents import PAYMENTS
        from paytungan.payments.exporters import export_payments
        from paytungan.payments.selectors import bill_paid_back, bill_paid_back_sql

        register("payments", export_payments)
        contents.register(PAYMENTS)
        statuses.register(bill_paid_back, bill_paid_back_sql)
