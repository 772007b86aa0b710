"""Tell whether this core was compiled by mypyc (a compiled module's file is a shared library)."""


def is_compiled() -> bool:
    return not __file__.endswith(".py")
