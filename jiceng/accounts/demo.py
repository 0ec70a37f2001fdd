"""Demo logins are created by ``directory.demo`` next to the areas they are scoped to."""


def build(ctx):
    return None
