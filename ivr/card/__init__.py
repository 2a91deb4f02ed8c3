"""The answering service's instruction card: what it shows (ivr.card.view) and the notes it takes (ivr.card.notes)."""
