"""A business's calendar (issue 26): its iCalendar feed fetched by the worker, read into today's events, and who is
away when; the call flow and the card get the result as plain data, never the feed."""
