"""The one exception type the CLI turns into a one-line message."""


class StanceError(Exception):
    """A problem with the user's input or setup, worded for the user.

    The CLI prints ``str(error)`` on one line and exits non-zero; anything else
    escaping the library is a bug and keeps its traceback.
    """
