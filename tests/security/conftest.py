from tests.editing.conftest import world  # noqa: F401 - the shared two-agency world
