"""Exceptions the core raises; their text is shown to users as it is."""


class GraphError(ValueError):
    """An edit or a pass was refused; the message says why in the user's terms."""


class FileFormatError(GraphError):
    """A file was refused whole; the message is one line naming the file and the place."""
