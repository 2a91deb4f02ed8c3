"""What to tell whom after a call: the message left, the deliveries it makes, the e-mails and texts composed
(pure), and the senders behind Protocols (ivr.messages.senders)."""
