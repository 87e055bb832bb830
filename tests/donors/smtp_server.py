"""A small real SMTP server on a free port, for the e-mail tests: it accepts mail, refuses the
addresses it is told to, or accepts connections and then never answers (a stalled server)."""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: str


@dataclass
class SMTPServer:
    refuse: set[str] = field(default_factory=set)
    stall: bool = False
    received: list[Received] = field(default_factory=list)

    def __enter__(self) -> SMTPServer:
        server = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                if server.stall:
                    server.released.wait()
                    return
                self.reply("220 test ESMTP")
                sender, recipients = "", []
                while line := self.rfile.readline().decode(errors="replace"):
                    command = line.strip()
                    verb = command[:4].upper()
                    if verb in {"EHLO", "HELO"}:
                        self.reply("250 test")
                    elif verb == "MAIL":
                        sender, recipients = command.split(":", 1)[1].strip(" <>"), []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        address = command.split(":", 1)[1].strip(" <>")
                        if address in server.refuse:
                            self.reply("550 5.1.1 No such mailbox")
                        else:
                            recipients.append(address)
                            self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 go ahead")
                        lines = []
                        while (body := self.rfile.readline().decode(errors="replace")) != ".\r\n":
                            lines.append(body)
                        server.received.append(Received(sender, recipients, "".join(lines)))
                        self.reply("250 queued")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("250 OK")

            def reply(self, text: str) -> None:
                self.wfile.write(f"{text}\r\n".encode())

        self.released = threading.Event()
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def mailers(self, timeout: float = 2) -> dict:
        """The MAILERS setting that sends through this server."""
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": timeout},
            }
        }
