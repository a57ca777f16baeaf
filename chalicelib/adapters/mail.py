"""Sending mail. Locally (and until a provider is wired in) a mail is written to the run's
log; see docs/accounts.md for how Amazon SES would take this adapter's place."""

from __future__ import annotations

import logging

log = logging.getLogger("hotline.mail")


class LogMailer:
    """Writes each mail to the log (logger ``hotline.mail``), sender and all.

    The body is logged as is: a reset link in it is the user's to click in a local run.
    A deployed stage that keeps this mailer logs live reset links to CloudWatch, which is
    why docs/accounts.md says to put SES in its place before real users rely on resets.
    """

    def __init__(self, sender: str) -> None:
        self.sender = sender

    def send(self, to: str, subject: str, text: str) -> None:
        log.info("mail from %s to %s\nSubject: %s\n\n%s", self.sender, to, subject, text)
