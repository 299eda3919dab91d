"""Live updates by polling: one cheap, conditional read per open group page (decision 0016)."""
