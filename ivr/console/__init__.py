"""The answering service's console (issue 26): a call put through to the service pops up its business's card.
What the stream sends (ivr.console.stream, pure) and how a process hears of new events (ivr.console.feed)."""
