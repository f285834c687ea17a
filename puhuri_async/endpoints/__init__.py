"""One module per API area; ``PuhuriClient`` composes their mixins.

Each mixin is thin: it checks arguments, builds path, query and body, calls the transport and
structures the result. None of them knows of the others, of the sync facade or of httpx.
"""
