"""Read models over a group's whole ledger, bills and payments together: the group export and
the settle-up (with the pairwise-debt aggregate it falls back to), and their routes (api.py).

The layer above bills and payments (docs/architecture.md, "Layers"): whatever must read both
goes here, so neither of them imports the other's rows. Nothing here writes, except
`settle.rebuild_pair_debts`, the repair of the kept pair rows from the aggregate.
"""
