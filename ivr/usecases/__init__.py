"""What staff do to a business, one function per act, each in one transaction, called alike by the CLI, the API and
the admin page: each face only parses its input and turns the typed errors (ivr.errors, audio.errors) into its
answer, so the same act is refused for the same reasons wherever it is done."""
