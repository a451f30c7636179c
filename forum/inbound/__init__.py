"""Mail in: members reply to a post's mail, or start a thread by writing to a group's address.

``receive`` (forum/inbound/receiving.py) does the work for both ways mail arrives: the LMTP
server (``flask mail lmtp``, forum/inbound/lmtp.py) and one message on standard input
(``flask mail ingest``, forum/inbound/cli.py). See docs/email.md.
"""
