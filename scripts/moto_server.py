"""Runs moto's S3-compatible server and exits when its parent does.

The parent holds this process's stdin open; when the parent dies, for any reason, stdin reaches EOF and
this process ends itself, so a crashed test run leaves no orphan server behind.
"""
import os
import sys
import threading

try:
    from moto.server import main
except ImportError:
    sys.stderr.write(
        "moto's server is not installed for this python3: install it with  pip install 'moto[server]'\n"
    )
    sys.exit(3)


def exit_with_parent():
    sys.stdin.read()
    os._exit(0)


threading.Thread(target=exit_with_parent, daemon=True).start()
main(sys.argv[1:])
