# The installed reference, imported by name.
def __FUNC__(*args, **kwargs):
    from nnlings.solutions.__UNIT__ import __FUNC__ as answer
    return answer(*args, **kwargs)
