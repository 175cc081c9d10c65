"""System checks (`zhifa check`) — the calendar health warning lives in core.services.calendar."""
