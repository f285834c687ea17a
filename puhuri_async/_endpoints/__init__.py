"""The client's methods, as mixins that ``PuhuriClient`` composes over one transport.

``_generated`` holds every operation of the table (``puhuri_async._operations``) that has no
argument logic of its own: generated source, one real method per name. The other modules hold
the few operations with real argument logic (usage amounts, access reports, offering-user
creation), written by hand on the same base (``_base.EndpointMixin``). None of them knows of the
sync facade or of httpx.
"""
