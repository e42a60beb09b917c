"""Sub-commands of the ``bpnn`` CLI, one module each (``add_parser`` + ``run``)."""
