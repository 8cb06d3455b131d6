"""The one error the web build raises for something the person building must fix."""


class BuildError(Exception):
    """Something the person building must fix; the message (already translated) says what and where."""
